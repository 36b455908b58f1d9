package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fake Telegram Bot API, method {@code sendMessage}: {@code POST /bot<TOKEN>/sendMessage} with a JSON body.
 *
 * <p>The token in the path is the credential. Answers are Telegram's JSON: success
 * {@code {"ok":true,"result":{"message_id":N,"from":{...},"chat":{...},"date":S,"text":"..."}}} (message ids count
 * up per chat from 1; {@code text} is the text as shown, after entity parsing), errors
 * {@code {"ok":false,"error_code":N,"description":"..."[,"parameters":{...}]}} with HTTP status N. Rules, in the
 * order they are checked (contract: {@code /work/shared/reference/more-channels.md}):
 * <ol>
 *   <li>path not {@code /bot<token>/<method>}: 404 "Not Found".</li>
 *   <li>token wrong: 401 "Unauthorized".</li>
 *   <li>method other than {@code sendMessage} (case-insensitive, as Telegram): 404 "Not Found".</li>
 *   <li>not a POST with a JSON object body and {@code Content-Type: application/json} (the fake reads no
 *       query, form or multipart parameters), or no {@code chat_id}: 400 "Bad Request: chat_id is empty".</li>
 *   <li>{@code chat_id} (an integer, a numeric string or {@code "@username"}) not a chat added with
 *       {@link #addChat}/{@link #addChannel}: 400 "Bad Request: chat not found".</li>
 *   <li>the chat was migrated ({@link #migrateChat}): 400 "Bad Request: group chat was upgraded to a supergroup
 *       chat" with {@code "parameters":{"migrate_to_chat_id":NEW}}; the bot was blocked ({@link #blockBot}):
 *       403 "Forbidden: bot was blocked by the user".</li>
 *   <li>rate, counting accepted messages: 30 per sliding second for the whole bot (the base class limit), 3 per
 *       sliding 3 s per chat (1 per second with bursts of up to 3; {@link #setPerChatLimit}) and, for group chats
 *       (negative ids), 20 per sliding minute per chat ({@link #setGroupPerMinute}): 429
 *       "Too Many Requests: retry after N" with {@code "parameters":{"retry_after":N}}, N = whole seconds until one
 *       more message to that chat fits.</li>
 *   <li>{@code text} missing or not a string: 400 "Bad Request: message text is empty".</li>
 *   <li>{@code parse_mode} not {@code HTML}, {@code MarkdownV2} or {@code Markdown} (case-insensitive): 400
 *       "Bad Request: unsupported parse_mode".</li>
 *   <li>entities that cannot be parsed: 400 "Bad Request: can't parse entities: ..." (see {@link TelegramText}).
 *       HTML: tags other than b/strong/i/em/u/ins/s/strike/del/a/code/pre/span/tg-spoiler/blockquote, a span
 *       without {@code class="tg-spoiler"}, unclosed or crossed tags, a bare {@code <}, {@code >} or
 *       {@code &} (entities: {@code &lt; &gt; &amp; &quot;} and numeric ones). MarkdownV2: an unescaped
 *       {@code _ * [ ] ( ) ~ ` > # + - = | { } . !} outside an entity ({@code >} starting a line is a quote),
 *       an entity not closed, a link text without {@code (url)}. Legacy Markdown: an entity not closed.</li>
 *   <li>the text after parsing blank: 400 "Bad Request: message text is empty"; over 4096 characters (UTF-16
 *       code units, counted after parsing: tags, markup and escapes removed, entities decoded): 400
 *       "Bad Request: message is too long".</li>
 * </ol>
 */
public final class FakeTelegram extends FakeBotServer {

    public static final int MAX_TEXT = 4096;
    public static final int DEFAULT_BOT_PER_SECOND = 30;
    public static final int DEFAULT_CHAT_BURST = 3;
    public static final Duration DEFAULT_CHAT_WINDOW = Duration.ofSeconds(3);
    public static final int DEFAULT_GROUP_PER_MINUTE = 20;

    private static final Pattern PATH = Pattern.compile("^/bot([^/]+)/([^/]+)$");
    private static final Pattern NUMERIC = Pattern.compile("^-?\\d{1,19}$");
    private static final long SUPERGROUP_BASE = -1_000_000_000_000L;

    private record Chat(long id, String username, String type) {
    }

    private final String token;
    private final long botId;
    private final Map<Long, Chat> chats = new LinkedHashMap<>();
    private final Map<String, Long> usernames = new HashMap<>();
    private final Map<Long, Long> migrated = new HashMap<>();
    private final Set<Long> blocked = new HashSet<>();
    private final Map<Long, RateWindows> chatWindows = new HashMap<>();
    private final Map<Long, Integer> messageIds = new HashMap<>();
    private RateWindows.Limit perChat = new RateWindows.Limit(DEFAULT_CHAT_BURST, DEFAULT_CHAT_WINDOW);
    private int groupPerMinute = DEFAULT_GROUP_PER_MINUTE;

    private FakeTelegram(String token) {
        super("FakeTelegram", 0, DEFAULT_BOT_PER_SECOND, Duration.ZERO);
        if (token == null || token.isEmpty() || token.contains("/")) {
            throw new IllegalArgumentException("token required, without '/'");
        }
        this.token = token;
        int colon = token.indexOf(':');
        long id;
        try {
            id = colon > 0 ? Long.parseLong(token.substring(0, colon)) : 1L;
        } catch (NumberFormatException e) {
            id = 1L;
        }
        this.botId = id;
    }

    /**
     * Starts a bot with this token ({@code 123456:ABC-DEF...}) that knows these chats: positive ids are private
     * chats, negative ones groups (below -10^12, i.e. {@code -100...}, supergroups).
     */
    public static FakeTelegram start(String token, long... chatIds) {
        FakeTelegram fake = new FakeTelegram(token);
        for (long id : chatIds) {
            fake.addChat(id);
        }
        fake.bind();
        return fake;
    }

    /** {@code http://127.0.0.1:PORT/bot<TOKEN>/sendMessage}. */
    @Override
    public String webhookUrl() {
        return baseUrl() + "/bot" + token + "/sendMessage";
    }

    /** The API base a client appends {@code /bot<TOKEN>/sendMessage} to: {@code http://127.0.0.1:PORT}. */
    public String apiBaseUrl() {
        return baseUrl();
    }

    /** The bot can post to this chat (positive: private, negative: group, below -10^12: supergroup). */
    public synchronized FakeTelegram addChat(long chatId) {
        String type = chatId > 0 ? "private" : chatId <= SUPERGROUP_BASE ? "supergroup" : "group";
        chats.put(chatId, new Chat(chatId, null, type));
        return this;
    }

    /** A channel (negative id, group rate limits apply) also reachable as {@code "@username"}. */
    public synchronized FakeTelegram addChannel(String username, long chatId) {
        if (username == null || !username.matches("[A-Za-z][A-Za-z0-9_]{3,31}") || chatId >= 0) {
            throw new IllegalArgumentException("a username (without @) and a negative chat id required");
        }
        chats.put(chatId, new Chat(chatId, username, "channel"));
        usernames.put(username.toLowerCase(Locale.ROOT), chatId);
        return this;
    }

    /** Messages to {@code groupId} now get 400 with {@code migrate_to_chat_id = supergroupId} (which is added). */
    public synchronized FakeTelegram migrateChat(long groupId, long supergroupId) {
        if (!chats.containsKey(groupId)) {
            throw new IllegalArgumentException("unknown chat " + groupId);
        }
        migrated.put(groupId, supergroupId);
        addChat(supergroupId);
        return this;
    }

    /** The user of this private chat blocked the bot: 403 "Forbidden: bot was blocked by the user". */
    public synchronized FakeTelegram blockBot(long chatId) {
        blocked.add(chatId);
        return this;
    }

    /** Per-chat limit: at most {@code max} accepted messages per chat in any sliding {@code window} (0 = none). */
    public synchronized void setPerChatLimit(int max, Duration window) {
        this.perChat = new RateWindows.Limit(max, window);
        chatWindows.forEach((id, w) -> w.setLimits(limits(id)));
    }

    /** Accepted messages per group chat (negative id) in any sliding minute; 0 = none. Default 20. */
    public synchronized void setGroupPerMinute(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0");
        }
        this.groupPerMinute = max;
        chatWindows.forEach((id, w) -> w.setLimits(limits(id)));
    }

    /** Accepted messages sent to this chat (by id or by its channel username), in order. */
    public List<BotRequest> sentTo(long chatId) {
        return accepted().stream().filter(r -> Objects.equals(resolve(r.json() == null ? null
                : r.json().get("chat_id")), chatId)).toList();
    }

    /** The text of a request as the chat shows it (after parsing its {@code parse_mode}), or null if invalid. */
    public static String shownText(BotRequest request) {
        JsonNode json = request.json();
        if (json == null || !json.path("text").isTextual()) {
            return null;
        }
        try {
            return TelegramText.parse(json.get("text").asText(), json.path("parse_mode").isTextual()
                    ? json.get("parse_mode").asText() : null);
        } catch (TelegramText.EntityException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The text Telegram shows for {@code text} sent with {@code parseMode} (null, HTML, MarkdownV2, Markdown);
     * throws IllegalArgumentException with Telegram's reason if it cannot be parsed.
     */
    public static String parsedText(String text, String parseMode) {
        try {
            return TelegramText.parse(text, parseMode);
        } catch (TelegramText.EntityException e) {
            throw new IllegalArgumentException("can't parse entities: " + e.getMessage(), e);
        }
    }

    /** Clears the per-chat windows and message ids (chats, migrations and blocks are kept). */
    @Override
    protected void onReset() {
        synchronized (this) {
            chatWindows.clear();
            messageIds.clear();
        }
    }

    @Override
    protected Answer process(Incoming in, Instant now) {
        Matcher m = PATH.matcher(in.path());
        if (!m.matches()) {
            return error(404, "Not Found", "unknown path");
        }
        if (!token.equals(m.group(1))) {
            return error(401, "Unauthorized", "token mismatch");
        }
        if (!m.group(2).equalsIgnoreCase("sendMessage")) {
            return error(404, "Not Found", "method " + m.group(2));
        }
        ObjectNode msg = in.isJsonContentType() && "POST".equals(in.method()) ? in.object() : null;
        JsonNode chatIdNode = msg == null ? null : msg.get("chat_id");
        if (chatIdNode == null || chatIdNode.isNull() || chatIdNode.isTextual() && chatIdNode.asText().isEmpty()) {
            return badRequest("chat_id is empty", msg == null ? "no JSON object body (" + in.method() + ", "
                    + in.header("Content-Type") + ")" : "chat_id missing");
        }
        Chat chat;
        synchronized (this) {
            Long id = resolve(chatIdNode);
            chat = id == null ? null : chats.get(id);
            if (chat == null) {
                return badRequest("chat not found", "chat_id " + chatIdNode);
            }
            Long newId = migrated.get(chat.id());
            if (newId != null) {
                ObjectNode params = object();
                params.put("migrate_to_chat_id", newId);
                return error(400, "Bad Request: group chat was upgraded to a supergroup chat", params,
                        "chat " + chat.id() + " migrated to " + newId);
            }
            if (blocked.contains(chat.id())) {
                return error(403, "Forbidden: bot was blocked by the user", "blocked in chat " + chat.id());
            }
        }
        if (rateLimited(now)) {
            return tooManyRequests(retryAfter(now), "bot rate limit");
        }
        RateWindows window;
        Duration wait;
        synchronized (this) {
            window = chatWindows.computeIfAbsent(chat.id(), id -> new RateWindows(limits(id)));
            wait = window.wait(now);
        }
        if (!wait.isZero()) {
            return tooManyRequests(wait, "rate limit of chat " + chat.id());
        }
        JsonNode textNode = msg.get("text");
        if (textNode == null || !textNode.isTextual()) {
            return badRequest("message text is empty", "text missing");
        }
        JsonNode modeNode = msg.get("parse_mode");
        String mode = modeNode == null || modeNode.isNull() ? null : modeNode.asText();
        String shown;
        try {
            shown = TelegramText.parse(textNode.asText(), mode);
        } catch (IllegalArgumentException e) {
            return badRequest("unsupported parse_mode", "parse_mode " + mode);
        } catch (TelegramText.EntityException e) {
            return badRequest("can't parse entities: " + e.getMessage(), "parse_mode " + mode);
        }
        if (shown.isBlank()) {
            return badRequest("message text is empty", "text blank after parsing");
        }
        if (shown.length() > MAX_TEXT) {
            return badRequest("message is too long", shown.length() + " characters after parsing");
        }
        int messageId;
        synchronized (this) {
            window.record(now);
            messageId = messageIds.merge(chat.id(), 1, Integer::sum);
        }
        ObjectNode body = object();
        body.put("ok", true);
        ObjectNode result = body.putObject("result");
        result.put("message_id", messageId);
        ObjectNode from = result.putObject("from");
        from.put("id", botId);
        from.put("is_bot", true);
        from.put("first_name", "Fake Telegram bot");
        from.put("username", "fake_relay_bot");
        ObjectNode chatNode = result.putObject("chat");
        chatNode.put("id", chat.id());
        chatNode.put("type", chat.type());
        if (chat.username() != null) {
            chatNode.put("username", chat.username());
        }
        if (!chat.type().equals("private")) {
            chatNode.put("title", "Chat " + chat.id());
        }
        result.put("date", now.getEpochSecond());
        result.put("text", shown);
        return jsonAnswer(200, body, null, true, null);
    }

    private synchronized Long resolve(JsonNode chatId) {
        if (chatId == null) {
            return null;
        }
        if (chatId.isIntegralNumber() && chatId.canConvertToLong()) {
            return chatId.asLong();
        }
        if (chatId.isTextual()) {
            String s = chatId.asText();
            if (NUMERIC.matcher(s).matches()) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (s.startsWith("@")) {
                return usernames.get(s.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return null;
    }

    private List<RateWindows.Limit> limits(long chatId) {
        return List.of(perChat, new RateWindows.Limit(chatId < 0 ? groupPerMinute : 0, Duration.ofMinutes(1)));
    }

    private static Answer tooManyRequests(Duration wait, String note) {
        long seconds = retryAfterSeconds(wait);
        ObjectNode params = object();
        params.put("retry_after", seconds);
        return error(429, "Too Many Requests: retry after " + seconds, params, note);
    }

    /** The injected rate-limit fault says {@code retry_after} 1. */
    @Override
    protected Answer rateLimitedAnswer(String note) {
        return tooManyRequests(Duration.ofSeconds(1), note);
    }

    /** Telegram has no signing: the credential failure (401 Unauthorized) stands for a signature error. */
    @Override
    protected Answer signErrorAnswer(String note) {
        return error(401, "Unauthorized", note);
    }

    private static Answer badRequest(String description, String note) {
        return error(400, "Bad Request: " + description, note);
    }

    private static Answer error(int status, String description, String note) {
        return error(status, description, null, note);
    }

    private static Answer error(int status, String description, ObjectNode parameters, String note) {
        ObjectNode body = object();
        body.put("ok", false);
        body.put("error_code", status);
        body.put("description", description);
        if (parameters != null) {
            body.set("parameters", parameters);
        }
        return jsonAnswer(status, body, status, false, note);
    }
}
