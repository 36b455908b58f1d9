package io.alertrelay.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * One receiver of the ops-facing configuration file. Chat receivers use {@code url}, {@code secret},
 * {@code format} and {@code mentions}; email receivers use the SMTP fields.
 *
 * @param smtpTls {@value #SMTP_TLS_IMPLICIT} or {@value #SMTP_TLS_STARTTLS}; null picks by port as
 *                Alertmanager does (see {@link #implicitTls()})
 * @param caFile  a PEM file of CA certificates trusted for the SMTP server in addition to the JVM's
 *                (Alertmanager's {@code tls_config.ca_file}); null for the JVM's alone
 * @param rateLimit overrides the platform's documented limit (a robot on a plan that allows more, a
 *                  test robot); null keeps the platform's
 * @param maxDelay  the bound on how late a notification may be (an Alertmanager duration, {@code 2m});
 *                  beyond it the receiver's messages are summaries (the flood gear); null for the
 *                  relay's {@code relay.delivery.max-delay}, {@code 0s} never summarizes
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
        String smtpTls,
        @JsonDeserialize(using = PlaceholderDeserializer.class) String caFile,
        String subjectTemplate,
        String textTemplate,
        RateLimitConfig rateLimit,
        String maxDelay,
        // the keys only its channel knows (notify/<type>/): Telegram's chat_id, a webhook's headers
        @JsonAnySetter Map<String, Object> extra) {

    public static final String SMTP_TLS_IMPLICIT = "implicit";
    public static final String SMTP_TLS_STARTTLS = "starttls";

    public ReceiverConfig {
        mentions = mentions == null ? Mentions.NONE : mentions;
        to = to == null ? List.of() : List.copyOf(to);
        url = url == null ? new Secret(null) : url;
        secret = secret == null ? new Secret(null) : secret;
        username = username == null ? new Secret(null) : username;
        password = password == null ? new Secret(null) : password;
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }

    public ReceiverConfig(String name, ReceiverType type, Secret url, Secret secret, String format, String template,
                          Boolean sendResolved, Mentions mentions, String language, List<String> to, String from,
                          String smarthost, Secret username, Secret password, Boolean requireTls, String smtpTls,
                          String caFile, String subjectTemplate, String textTemplate, RateLimitConfig rateLimit,
                          String maxDelay) {
        this(name, type, url, secret, format, template, sendResolved, mentions, language, to, from, smarthost, username,
                password, requireTls, smtpTls, caFile, subjectTemplate, textTemplate, rateLimit, maxDelay, null);
    }

    /** The keys of its channel alone, placeholders resolved (the loader resolves them: {@link #withSettings}). */
    public ReceiverSettings settings() {
        return new ReceiverSettings(extra);
    }

    /** This receiver with these channel keys (their placeholders resolved) and this format. */
    public ReceiverConfig withSettings(ReceiverSettings settings, String format) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        settings.keys().forEach(k -> values.put(k, settings.get(k)));
        return new ReceiverConfig(name, type, url, secret, format, template, sendResolved, mentions, language, to, from,
                smarthost, username, password, requireTls, smtpTls, caFile, subjectTemplate, textTemplate, rateLimit, maxDelay,
                values);
    }

    /** Names the channel keys but never their values (they can hold tokens); the secrets mask themselves. */
    @Override
    public String toString() {
        return "ReceiverConfig[name=" + name + ", type=" + type + ", url=" + url + ", format=" + format
                + (extra.isEmpty() ? "" : ", " + settings()) + "]";
    }

    /** Optional {@code rate_limit: {per_second, per_minute}}; an unset field keeps the platform's, 0 is unlimited. */
    public record RateLimitConfig(Integer perSecond, Integer perMinute) {
    }

    public ReceiverConfig(String name, ReceiverType type, Secret url, Secret secret, String format, String template,
                          Boolean sendResolved, Mentions mentions, String language, List<String> to, String from,
                          String smarthost, Secret username, Secret password, Boolean requireTls, String smtpTls,
                          String caFile, String subjectTemplate, String textTemplate) {
        this(name, type, url, secret, format, template, sendResolved, mentions, language, to, from, smarthost, username,
                password, requireTls, smtpTls, caFile, subjectTemplate, textTemplate, null, null, null);
    }

    public ReceiverConfig(String name, ReceiverType type, Secret url, Secret secret, String format, String template,
                          Boolean sendResolved, Mentions mentions, String language, List<String> to, String from,
                          String smarthost, Secret username, Secret password, Boolean requireTls, String smtpTls,
                          String caFile, String subjectTemplate, String textTemplate, RateLimitConfig rateLimit) {
        this(name, type, url, secret, format, template, sendResolved, mentions, language, to, from, smarthost, username,
                password, requireTls, smtpTls, caFile, subjectTemplate, textTemplate, rateLimit, null, null);
    }

    /** {@code max_delay} as a duration; null when unset (the relay's default applies). */
    public java.time.Duration maxDelayDuration() {
        return maxDelay == null || maxDelay.isBlank() ? null : AlertmanagerDuration.parse(maxDelay);
    }

    public static ReceiverConfig log(String name) {
        return new ReceiverConfig(name, ReceiverType.LOG, null, null, null, null, true, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    public boolean wantsResolved() {
        return sendResolved == null || sendResolved;
    }

    /** The format named, or {@code orElse} (the channel's default) when none is. */
    public String formatOr(String orElse) {
        return format == null || format.isBlank() ? orElse : format;
    }

    /** Whether STARTTLS must succeed before anything is sent; implicit TLS is always TLS. */
    public boolean tlsRequired() {
        return requireTls == null || requireTls;
    }

    /**
     * Implicit TLS (SMTPS) from the first byte, rather than STARTTLS: as set by {@code smtp_tls}, by
     * default only on port 465, the port reserved for it (RFC 8314).
     */
    public boolean implicitTls() {
        if (smtpTls != null) {
            return SMTP_TLS_IMPLICIT.equals(smtpTls);
        }
        return smarthost != null && smarthost.matches(".*:0*465");
    }
}
