package io.alertrelay.notify.discord;

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
 * Discord webhook ({@code https://discord.com/api/webhooks/{id}/{token}}): embeds, red while firing and
 * green when resolved; no signing (the token in the path is the credential); mentions {@code <@id>} and
 * {@code @everyone} in {@code content}, and always an {@code allowed_mentions} that lets only those ping.
 * Success is 204 (200 with {@code ?wait=true}); errors are {@code {"code":N,"message":…}}.
 */
public class DiscordChannel implements Channel {

    public static final ReceiverType TYPE = new ReceiverType("discord");
    /**
     * 2 a second. Discord's limits are dynamic (its {@code X-RateLimit-*} headers); a webhook's bucket is
     * commonly 5 requests per 2 s, so 2/s stays under it with room for a retry. Discord bans an IP for a
     * while after 10,000 refused requests (401/403/429) in 10 minutes: staying under matters more than
     * speed. (A per-channel limit of 30 webhook messages a minute is reported by users, not documented in
     * the reference: a receiver's {@code rate_limit: {per_minute: 30}} applies it.)
     */
    public static final RateLimit RATE_LIMIT = new RateLimit(2, 0);

    static final int MAX_CONTENT = 2000;
    static final int MAX_EMBEDS = 10;
    static final int MAX_TITLE = 256;
    static final int MAX_DESCRIPTION = 4096;
    static final int MAX_FIELDS = 25;
    static final int MAX_FIELD_NAME = 256;
    static final int MAX_FIELD_VALUE = 1024;
    static final int MAX_FOOTER = 2048;
    static final int MAX_AUTHOR = 256;
    static final int MAX_EMBEDS_TOTAL = 6000;
    /** Mentioned user ids: their {@code <@id>} must fit in {@code content} (2000), and {@code allowed_mentions} takes 100. */
    static final int MAX_USER_IDS = 50;
    /** What {@link #prepare} may put into {@code content}: the mentions (50 ids of 20 digits and {@code @everyone}). */
    static final int CONTENT_MARGIN = MAX_USER_IDS * 24 + 10;

    /** Discord's JSON codes: unknown webhook; form body, empty message, invalid JSON, entity too large. */
    static final int UNKNOWN_WEBHOOK = 10015;
    static final Set<Integer> CLIENT_ERRORS = Set.of(50035, 50006, 50109, 40005);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("embeds");
    }

    @Override
    public String defaultFormat() {
        return "embeds";
    }

    /**
     * The URL is required; Discord mentions users by their numeric id ({@code <@id>}), at most 50 of them
     * here (their mentions fit in {@code content}), never by phone number.
     */
    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        RelayConfigValidator.requireHttpUrl(receiver, at, what, problems);
        Mentions mentions = receiver.mentions();
        if (!mentions.mobiles().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/mobiles", what
                    + "mentions.mobiles: Discord cannot mention by phone number; use user_ids (numeric user ids) or all"));
        }
        for (int i = 0; i < mentions.userIds().size(); i++) {
            if (!mentions.userIds().get(i).matches("[0-9]{1,20}")) {
                problems.add(new RelayConfigValidator.Problem(at + "/mentions/user_ids/" + i, what
                        + "mentions.user_ids: '" + mentions.userIds().get(i) + "' is not a Discord user id (digits)"));
            }
        }
        if (mentions.userIds().size() > MAX_USER_IDS) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/user_ids", what
                    + "mentions.user_ids: at most " + MAX_USER_IDS + " (their mentions must fit in one Discord message)"));
        }
    }

    @Override
    public RateLimit rateLimit() {
        return RATE_LIMIT;
    }

    /** Every limit Discord checks, in characters; titles count as {@link #prepare} cuts them (256). */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return DiscordChannel::fits;
    }

    @Override
    public Markup markup(String format) {
        return DiscordMarkup.MARKDOWN;
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ObjectNode payload = ChatExchange.payload(message);
        cutTitles(payload);
        addMentions(payload, message.notification().receiver().mentions());
        ChatExchange.request(exchange, message.notification().receiver().url().reveal(), payload);
    }

    /**
     * 204 (or 200, with {@code ?wait=true}) is success. 429: wait {@code retry_after} (float seconds, in
     * the body) or else {@code Retry-After}. 404 (10015 unknown webhook, or no webhook at that path), 401,
     * 403: the URL is no good, an auth error, never retried (Discord bans IPs that keep calling dead
     * webhooks). 400 (50035 form body, 50006 empty, 50109 invalid JSON, 40005 too large) and other 4xx:
     * client errors. 5xx, and any other 2xx: retried.
     */
    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        ChatExchange.Answer answer = ChatExchange.answer(exchange, "code", "message");
        int status = answer.httpStatus();
        if (status == 204 || status == 200) {
            return;
        }
        String what = "Discord answered HTTP " + status + (answer.code() == null ? "" : " " + answer.code())
                + (answer.message().isEmpty() ? "" : " " + answer.message());
        if (status == 429) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, what, retryAfter(exchange));
        }
        if (status == 401 || status == 403 || status == 404
                || (answer.code() != null && answer.code() == UNKNOWN_WEBHOOK)) {
            throw new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if ((status >= 400 && status < 500) || (answer.code() != null && CLIENT_ERRORS.contains(answer.code()))) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        throw new DeliveryFailedException(FailureReason.SERVER_ERROR, what);
    }

    /** The body's {@code retry_after} (float seconds), else the {@code Retry-After} header (seconds), else null. */
    static Duration retryAfter(Exchange exchange) {
        try {
            String body = exchange.getMessage().getBody(String.class);
            JsonNode json = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (json != null && json.path("retry_after").isNumber() && json.get("retry_after").asDouble() >= 0) {
                return Duration.ofMillis((long) Math.ceil(json.get("retry_after").asDouble() * 1000));
            }
        } catch (JsonProcessingException e) {
            // not JSON: the header then
        }
        Object header = exchange.getMessage().getHeader("Retry-After");
        try {
            double seconds = header == null ? -1 : Double.parseDouble(header.toString().strip());
            return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The configured mentions in {@code content} ({@code <@id>}, {@code @everyone}), and always
     * {@code allowed_mentions}: {@code parse} empty (plus {@code everyone} for {@code all}) and the
     * configured user ids, so that nothing else in the message can ping anyone, whatever escaping missed.
     */
    static void addMentions(ObjectNode payload, Mentions mentions) {
        StringBuilder content = new StringBuilder();
        mentions.userIds().forEach(id -> content.append("<@").append(id).append("> "));
        if (mentions.all()) {
            content.append("@everyone");
        }
        String line = content.toString().strip();
        if (!line.isEmpty()) {
            String before = payload.path("content").asText("");
            payload.put("content", before.isEmpty() ? line : before + "\n" + line);
        }
        ObjectNode allowed = payload.putObject("allowed_mentions");
        ArrayNode parse = allowed.putArray("parse");
        if (mentions.all()) {
            parse.add("everyone");
        }
        if (!mentions.userIds().isEmpty()) {
            mentions.userIds().forEach(allowed.putArray("users")::add);
        }
    }

    /** An embed's title is at most 256 characters: a longer one (a long alert name) is cut, not refused. */
    static void cutTitles(ObjectNode payload) {
        for (JsonNode embed : payload.path("embeds")) {
            if (embed instanceof ObjectNode e && e.path("title").isTextual()) {
                String title = e.get("title").asText();
                if (chars(title) > MAX_TITLE) {
                    e.put("title", title.substring(0, title.offsetByCodePoints(0, MAX_TITLE - 1)) + "…");
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
        if (chars(json.path("content").asText("")) > MAX_CONTENT - CONTENT_MARGIN) {
            return false;
        }
        JsonNode embeds = json.path("embeds");
        if (embeds.size() > MAX_EMBEDS) {
            return false;
        }
        int total = 0;
        for (JsonNode embed : embeds) {
            int description = chars(embed.path("description").asText(""));
            int footer = chars(embed.path("footer").path("text").asText(""));
            int author = chars(embed.path("author").path("name").asText(""));
            if (description > MAX_DESCRIPTION || footer > MAX_FOOTER || author > MAX_AUTHOR
                    || embed.path("fields").size() > MAX_FIELDS) {
                return false;
            }
            total += Math.min(MAX_TITLE, chars(embed.path("title").asText(""))) + description + footer + author;
            for (JsonNode field : embed.path("fields")) {
                int name = chars(field.path("name").asText(""));
                int value = chars(field.path("value").asText(""));
                if (name > MAX_FIELD_NAME || value > MAX_FIELD_VALUE) {
                    return false;
                }
                total += name + value;
            }
        }
        return total <= MAX_EMBEDS_TOTAL;
    }

    private static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, DiscordPreview::show);
    }
}
