package io.alertrelay.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * The largest message a platform takes, in UTF-8 bytes (a Chinese character is 3), measured where the
 * platform measures it. Each limit keeps a margin for what the notifier adds when sending (signature,
 * mentions, msgUuid).
 */
public interface SizeLimit {

    boolean fits(OutgoingMessage message);

    SizeLimit NONE = message -> true;

    /** The whole JSON body: DingTalk (20000 B) and Feishu (20 KB). */
    static SizeLimit bodyBytes(int max) {
        return message -> message.body().getBytes(StandardCharsets.UTF_8).length <= max;
    }

    /** One text field of the JSON body: WeCom limits {@code markdown.content} (4096 B) and {@code text.content} (2048 B). */
    static SizeLimit fieldBytes(String jsonPointer, int max) {
        ObjectMapper json = new ObjectMapper();
        return message -> {
            try {
                return json.readTree(message.body()).at(jsonPointer).asText("").getBytes(StandardCharsets.UTF_8).length <= max;
            } catch (JsonProcessingException e) {
                return false;
            }
        };
    }
}
