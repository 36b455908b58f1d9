package io.alertrelay.notify.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverSettings;
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
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Telegram Bot API {@code sendMessage} ({@code POST <api_url>/bot<TOKEN>/sendMessage}): a text in
 * HTML (the default, as Alertmanager's) or MarkdownV2, link previews off, resolved messages sent
 * silently ({@code disable_notification}, set by the templates). The token is in the path: the URL is
 * built here and never shown. Mentions are links to {@code tg://user?id=N}. Reads {@code ok}, and on
 * failure {@code error_code}, {@code description} and {@code parameters} ({@code retry_after},
 * {@code migrate_to_chat_id}). 4096 characters a text after entity parsing.
 */
public class TelegramChannel implements Channel {

    public static final ReceiverType TYPE = new ReceiverType("telegram");
    public static final String DEFAULT_API_URL = "https://api.telegram.org";

    /**
     * Telegram's Bot FAQ: at most one message a second to one chat (short bursts pass, then 429), and
     * at most 20 a minute to one group. A receiver is one chat; its 20 a minute apply to private chats
     * too (conservative: a receiver for a private chat may raise it with {@code rate_limit.per_minute}).
     * The bot-wide ~30 a second is not a receiver's limit.
     */
    public static final RateLimit RATE_LIMIT = new RateLimit(1, 20);

    /** "1-4096 characters after entities parsing" (sendMessage). */
    public static final int MAX_TEXT = 4096;
    /** Room for what Telegram might count otherwise than the measure (it counts at least as much). */
    static final int MARGIN = 96;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,19}|@[A-Za-z][A-Za-z0-9_]{3,31}");
    private static final Pattern USER_ID = Pattern.compile("[0-9]{1,19}");

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("html", "markdownv2");
    }

    @Override
    public String defaultFormat() {
        return "html";
    }

    @Override
    public Class<?> settingsType() {
        return TelegramSettings.class;
    }

    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        if (!receiver.url().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at + "/url", what + "url is not used by a telegram receiver: "
                    + "give bot_token and chat_id (and api_url for another Bot API address than " + DEFAULT_API_URL + ")"));
        }
        TelegramSettings settings;
        try {
            settings = receiver.settings().as(TelegramSettings.class);
        } catch (ReceiverSettings.Invalid e) {
            return; // the configuration check reported it already
        }
        if (settings.botToken().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "bot_token is required for a telegram receiver"));
        } else if (!TOKEN.matcher(settings.botToken().reveal()).matches()) {
            // never the value: it is the bot's credential
            problems.add(new RelayConfigValidator.Problem(at + "/bot_token", what
                    + "bot_token is not a bot token as BotFather gives it (digits, ':', then letters, digits, '_' or '-')"));
        }
        if (settings.chatId() == null || settings.chatId().isBlank()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "chat_id is required for a telegram receiver"));
        } else if (!CHAT_ID.matcher(settings.chatId().strip()).matches()) {
            problems.add(new RelayConfigValidator.Problem(at + "/chat_id", what + "chat_id '" + settings.chatId()
                    + "' is neither a chat id (an integer, negative for groups) nor a channel's @username"));
        }
        if (settings.messageThreadId() != null && settings.messageThreadId() <= 0) {
            problems.add(new RelayConfigValidator.Problem(at + "/message_thread_id", what
                    + "message_thread_id is a topic's id, a positive integer"));
        }
        if (settings.apiUrl() != null) {
            String problem = RelayConfigValidator.httpUrlProblem(settings.apiUrl().strip());
            if (problem != null) {
                problems.add(new RelayConfigValidator.Problem(at + "/api_url", what + "api_url " + problem));
            }
        }
        Mentions mentions = receiver.mentions();
        if (mentions.all()) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/all", what
                    + "mentions.all: Telegram has no mention of everybody in a chat; name the users in mentions.user_ids"));
        }
        if (!mentions.mobiles().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/mobiles", what
                    + "mentions.mobiles: a Telegram bot cannot mention by phone number; use mentions.user_ids"));
        }
        for (int i = 0; i < mentions.userIds().size(); i++) {
            if (!USER_ID.matcher(mentions.userIds().get(i)).matches()) {
                problems.add(new RelayConfigValidator.Problem(at + "/mentions/user_ids/" + i, what + "mentions.user_ids: '"
                        + mentions.userIds().get(i) + "' is not a Telegram user id (a number; a @username cannot be mentioned by a bot's link)"));
            }
        }
    }

    @Override
    public RateLimit rateLimit() {
        return RATE_LIMIT;
    }

    /**
     * The text as Telegram counts it (characters after entity parsing, in the markup of the message's
     * {@code parse_mode}), with room for the receiver's mentions, which {@link #prepare} appends.
     */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        int max = MAX_TEXT - MARGIN - mentionsLength(receiver.mentions());
        return message -> {
            try {
                JsonNode payload = JSON.readTree(message.body());
                TelegramMarkup markup = TelegramMarkup.ofParseMode(payload.path("parse_mode").asText(null));
                String text = payload.path("text").asText("");
                return (markup == null ? text.length() : markup.shownLength(text)) <= max;
            } catch (JsonProcessingException e) {
                return false;
            }
        };
    }

    @Override
    public Markup markup(String format) {
        return "markdownv2".equals(format) ? TelegramMarkup.MARKDOWN_V2 : TelegramMarkup.HTML;
    }

    /** Digests and summaries are HTML whatever the receiver's format (their templates set {@code parse_mode}). */
    @Override
    public String digestFormat() {
        return "html";
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ReceiverConfig receiver = message.notification().receiver();
        TelegramSettings settings = receiver.settings().as(TelegramSettings.class);
        ObjectNode payload = ChatExchange.payload(message);
        // the chat is the receiver's, whatever a template says
        ObjectNode request = payload.deepCopy();
        String chatId = settings.chatId().strip();
        if (chatId.startsWith("@")) {
            request.put("chat_id", chatId);
        } else {
            request.put("chat_id", Long.parseLong(chatId));
        }
        if (settings.messageThreadId() != null) {
            request.put("message_thread_id", settings.messageThreadId());
        } else {
            request.remove("message_thread_id");
        }
        // the template names the markup it is written in; one without a parse_mode is in the receiver's format's
        TelegramMarkup markup = TelegramMarkup.ofParseMode(payload.path("parse_mode").asText(null));
        if (markup == null) {
            markup = (TelegramMarkup) markup(receiver.formatOr(defaultFormat()));
            request.put("parse_mode", markup.parseMode());
        }
        request.putObject("link_preview_options").put("is_disabled", true);
        request.put("text", payload.path("text").asText("") + mentions(receiver.mentions(), markup));
        // the token is in the path: this URL is never logged nor put in an error
        ChatExchange.request(exchange, settings.api() + "/bot" + settings.botToken().reveal() + "/sendMessage", request);
    }

    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int http = status == null ? 0 : status;
        String text = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setBody(text); // a stream is read once: keep the text for the next reader
        JsonNode answer;
        try {
            answer = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            answer = JSON.missingNode();
        }
        if (http >= 200 && http < 300 && answer.path("ok").asBoolean(false)) {
            return;
        }
        int code = answer.path("error_code").canConvertToInt() && answer.path("error_code").asInt() > 0
                ? answer.path("error_code").asInt() : http;
        String description = answer.path("description").asText("");
        String what = "Telegram answered " + (http == 0 ? "" : "HTTP " + http + " ")
                + (description.isEmpty() ? "" : description);
        JsonNode parameters = answer.path("parameters");
        if (code == 429 || http == 429) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, what, retryAfter(parameters, exchange));
        }
        if (code == 401 || code == 403) {
            throw new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if (parameters.has("migrate_to_chat_id")) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what + ": the group became the supergroup "
                    + parameters.get("migrate_to_chat_id").asText() + "; set chat_id: " + parameters.get("migrate_to_chat_id").asText()
                    + " for receiver " + (message == null ? "" : message.receiverName()));
        }
        if (http >= 500 || (http < 400 && code >= 500)) {
            throw new DeliveryFailedException(FailureReason.SERVER_ERROR, what);
        }
        if (http >= 400 || code >= 400) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        // a 2xx without "ok": true (a proxy's page, say): try again later
        throw new DeliveryFailedException(FailureReason.SERVER_ERROR, what.strip() + " without \"ok\": true");
    }

    /** {@code parameters.retry_after} (seconds), else a {@code Retry-After} header in seconds; null when neither. */
    private static Duration retryAfter(JsonNode parameters, Exchange exchange) {
        if (parameters.path("retry_after").canConvertToLong() && parameters.path("retry_after").asLong() > 0) {
            return Duration.ofSeconds(parameters.path("retry_after").asLong());
        }
        String header = exchange.getMessage().getHeader("Retry-After", String.class);
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A link to each user ({@code tg://user?id=N}, shown as the id) at the end of the text, in the message's markup. */
    static String mentions(Mentions mentions, TelegramMarkup markup) {
        if (mentions.userIds().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n\n");
        for (String id : mentions.userIds()) {
            if (out.length() > 2) {
                out.append(' ');
            }
            // the id is digits (checked): nothing in it to escape in either markup
            out.append(markup == TelegramMarkup.HTML ? "<a href=\"tg://user?id=" + id + "\">" + id + "</a>"
                    : "[" + id + "](tg://user?id=" + id + ")");
        }
        return out.toString();
    }

    /** What the mentions add to the text as Telegram counts it. */
    static int mentionsLength(Mentions mentions) {
        if (mentions.userIds().isEmpty()) {
            return 0;
        }
        return 2 + mentions.userIds().stream().mapToInt(String::length).sum() + mentions.userIds().size() - 1;
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, json -> TelegramPreview.show(json, format));
    }
}
