package io.alertrelay.notify.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Markup;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.notify.SizeLimit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Slack incoming webhook ({@code https://hooks.slack.com/services/T…/B…/…}): Block Kit ({@code blocks},
 * with a {@code text} fallback for notifications) or mrkdwn {@code text}; no signing (the URL is the
 * credential); mentions {@code <@U…>} and {@code <!channel>}. About 1 message a second (bursts, then
 * 429 with {@code Retry-After}). The answer is plain text: success is HTTP 200 with exactly {@code ok}.
 */
public class SlackChannel implements Channel {

    public static final ReceiverType TYPE = new ReceiverType("slack");
    /** Slack: "1 message per second" per incoming webhook, short bursts allowed (api.slack.com/docs/rate-limits). */
    public static final RateLimit RATE_LIMIT = new RateLimit(1, 0);

    /** Slack cuts a longer {@code text} (it does not refuse it); the margin is for the mentions. */
    static final int MAX_TEXT_CHARS = 39_000;
    /** Block Kit: at most 50 blocks a message; one is kept for the mentions' section. */
    static final int MAX_BLOCKS = 49;
    /** Block Kit: a section's text at most 3000 characters, at most 10 fields of 2000. */
    static final int MAX_SECTION_TEXT_CHARS = 3_000;
    static final int MAX_FIELDS = 10;
    static final int MAX_FIELD_CHARS = 2_000;
    /**
     * All blocks' text together. Not documented: Slack answers {@code msg_blocks_too_long} to messages of
     * about 13,000 characters of blocks (slackapi/bolt-js#2509); 12,000 stays below what was seen.
     */
    static final int MAX_BLOCKS_CHARS = 12_000;
    /** Block Kit: a header's plain_text at most 150 characters ({@link #prepare} cuts a longer title). */
    static final int MAX_HEADER_CHARS = 150;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("blocks", "text");
    }

    @Override
    public String defaultFormat() {
        return "blocks";
    }

    /** The URL is required; Slack mentions by member id or the channel, never by phone number: {@code mobiles} is refused. */
    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        RelayConfigValidator.requireHttpUrl(receiver, at, what, problems);
        if (!receiver.mentions().mobiles().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/mobiles", what
                    + "mentions.mobiles: Slack cannot mention by phone number; use user_ids (member ids, U…) or all"));
        }
    }

    @Override
    public RateLimit rateLimit() {
        return RATE_LIMIT;
    }

    /** Measured in characters where Block Kit counts them: each section, the blocks, all their text, and {@code text}. */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return SlackChannel::fits;
    }

    @Override
    public Markup markup(String format) {
        return SlackMarkup.MRKDWN;
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ObjectNode payload = ChatExchange.payload(message);
        cutHeaders(payload);
        addMentions(payload, message.notification().receiver().mentions());
        ChatExchange.request(exchange, message.notification().receiver().url().reveal(), payload);
    }

    /**
     * 200 {@code ok} is success, nothing else (Alertmanager too treats any other body as an error). 429
     * {@code rate_limited}: wait what {@code Retry-After} says. 400 ({@code invalid_payload},
     * {@code invalid_blocks}, {@code user_not_found}): the message is wrong, a client error. 403
     * {@code action_prohibited}, 404 {@code no_service} / {@code channel_not_found}, 410
     * {@code channel_is_archived}: the hook or its channel is gone or barred, which only whoever owns the
     * configuration can fix: an auth error (permanent, as Slack documents; never retried). 5xx, or a 200
     * that does not say {@code ok} (a proxy's page): retried.
     */
    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        ChatExchange.Answer answer = ChatExchange.answer(exchange, "error", "error");
        int status = answer.httpStatus();
        String body = answer.message().strip();
        if (status == 200 && "ok".equals(body)) {
            return;
        }
        String what = "Slack answered HTTP " + status + (body.isEmpty() ? "" : " " + body);
        if (status == 429) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, what, retryAfter(exchange));
        }
        if (status == 401 || status == 403 || status == 404 || status == 410) {
            throw new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if (status >= 400 && status < 500) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        throw new DeliveryFailedException(FailureReason.SERVER_ERROR, status < 300 ? what + " instead of ok" : what);
    }

    /** {@code Retry-After} in whole seconds, or null when absent or not a number. */
    static Duration retryAfter(Exchange exchange) {
        Object header = exchange.getMessage().getHeader("Retry-After");
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.toString().strip());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Who is mentioned: {@code <@U…>} per member id, {@code <!channel>} for {@code all}; a section at the
     * end of the blocks and a line after the {@code text} (the notification's preview, and the whole of
     * a text message). Only these notify: values are escaped.
     */
    static void addMentions(ObjectNode payload, Mentions mentions) {
        StringBuilder tags = new StringBuilder();
        mentions.userIds().forEach(id -> tags.append("<@").append(id).append("> "));
        if (mentions.all()) {
            tags.append("<!channel>");
        }
        String line = tags.toString().strip();
        if (line.isEmpty()) {
            return;
        }
        if (payload.get("blocks") instanceof ArrayNode blocks) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", line);
        }
        String text = payload.path("text").asText("");
        payload.put("text", text.isEmpty() ? line : text + "\n" + line);
    }

    /** A header's plain_text is at most 150 characters: a longer title (a long alert name) is cut, not refused. */
    static void cutHeaders(ObjectNode payload) {
        for (JsonNode block : payload.path("blocks")) {
            if ("header".equals(block.path("type").asText()) && block.path("text") instanceof ObjectNode text) {
                String s = text.path("text").asText("");
                if (s.codePointCount(0, s.length()) > MAX_HEADER_CHARS) {
                    text.put("text", s.substring(0, s.offsetByCodePoints(0, MAX_HEADER_CHARS - 1)) + "…");
                }
            }
        }
    }

    static boolean fits(OutgoingMessage message) {
        JsonNode json;
        try {
            json = JSON.readTree(message.body());
        } catch (JsonProcessingException e) {
            return false;
        }
        if (chars(json.path("text").asText("")) > MAX_TEXT_CHARS) {
            return false;
        }
        JsonNode blocks = json.path("blocks");
        if (blocks.size() > MAX_BLOCKS) {
            return false;
        }
        int total = 0;
        for (JsonNode block : blocks) {
            int section = chars(block.path("text").path("text").asText(""));
            if ("section".equals(block.path("type").asText()) && section > MAX_SECTION_TEXT_CHARS) {
                return false;
            }
            total += section;
            JsonNode fields = block.path("fields");
            if (fields.size() > MAX_FIELDS) {
                return false;
            }
            for (JsonNode field : fields) {
                int n = chars(field.path("text").asText(""));
                if (n > MAX_FIELD_CHARS) {
                    return false;
                }
                total += n;
            }
            for (JsonNode element : block.path("elements")) {
                total += chars(element.path("text").asText(""));
            }
        }
        return total <= MAX_BLOCKS_CHARS;
    }

    private static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, SlackPreview::show);
    }
}
