package io.alertrelay.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * One receiver of the ops-facing configuration file. Chat receivers use {@code url}, {@code secret},
 * {@code format} and {@code mentions}; email receivers use the SMTP fields.
 */
public record ReceiverConfig(
        String name,
        ReceiverType type,
        Secret url,
        Secret secret,
        String format,
        String template,
        Boolean sendResolved,
        Mentions mentions,
        String language,
        // email
        List<String> to,
        @JsonDeserialize(using = PlaceholderDeserializer.class) String from,
        @JsonDeserialize(using = PlaceholderDeserializer.class) String smarthost,
        Secret username,
        Secret password,
        Boolean requireTls,
        String subjectTemplate,
        String textTemplate) {

    public ReceiverConfig {
        mentions = mentions == null ? Mentions.NONE : mentions;
        to = to == null ? List.of() : List.copyOf(to);
        url = url == null ? new Secret(null) : url;
        secret = secret == null ? new Secret(null) : secret;
        username = username == null ? new Secret(null) : username;
        password = password == null ? new Secret(null) : password;
    }

    public static ReceiverConfig log(String name) {
        return new ReceiverConfig(name, ReceiverType.LOG, null, null, null, null, true, null, null,
                null, null, null, null, null, null, null, null);
    }

    public boolean wantsResolved() {
        return sendResolved == null || sendResolved;
    }

    public String effectiveFormat() {
        return format == null || format.isBlank() ? type.defaultFormat() : format;
    }

    public boolean tlsRequired() {
        return requireTls == null || requireTls;
    }
}
