package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Fake Slack incoming webhook: {@code POST /services/T…/B…/SECRET}.
 *
 * <p>No signing: the URL is the credential. Rules, in the order they are checked (contract:
 * {@code /work/shared/reference/more-channels.md}); every answer is a plain-text body ({@code text/html}, as
 * Slack sends it), never JSON; success is HTTP 200 with exactly {@code ok}:
 * <ol>
 *   <li>path not exactly {@code /services/TEAM/BOT/SECRET} (wrong team, bot or secret): 404 {@code no_service}.</li>
 *   <li>the hook was made unusable with {@link #setHookState}: its status and body, e.g. 410
 *       {@code channel_is_archived}, 404 {@code channel_not_found}, 404 {@code no_service} (hook revoked),
 *       403 {@code action_prohibited}.</li>
 *   <li>method not POST, or body not a JSON object: 400 {@code invalid_payload}. The Content-Type is not checked
 *       (Slack parses the body); the legacy form encoding {@code payload=...} is not supported.</li>
 *   <li>rate: 3 accepted per sliding 3 s (about 1 per second, bursts of up to 3; {@link #setRateWindow}), then
 *       429 {@code rate_limited} with {@code Retry-After: <whole seconds until one more fits>}.</li>
 *   <li>no non-blank string {@code text} and no {@code blocks} (or {@code text} not a string): 400
 *       {@code invalid_payload}. Legacy {@code attachments} alone are not enough.</li>
 *   <li>{@code blocks} not an array of 1 to 50 objects each with a string {@code type}; a {@code section}
 *       without {@code text} or {@code fields}; a text object that is not {@code {"type":"mrkdwn"|"plain_text",
 *       "text":"..."}}; section text over 3000 characters; more than 10 fields or a field over 2000 characters:
 *       400 {@code invalid_blocks}. Other block types are only checked for their {@code type}.</li>
 *   <li>{@code text} over 40,000 characters: accepted (200 {@code ok}) but Slack truncates it; the fake notes
 *       it and lists such messages in {@link #truncated()} ({@link #shownText} gives what the channel shows).</li>
 * </ol>
 * Characters are Unicode code points.
 */
public final class FakeSlack extends FakeBotServer {

    public static final int MAX_TEXT_CHARS = 40_000;
    public static final int MAX_BLOCKS = 50;
    public static final int MAX_SECTION_TEXT_CHARS = 3000;
    public static final int MAX_FIELDS = 10;
    public static final int MAX_FIELD_TEXT_CHARS = 2000;
    /** Default burst allowance: this many messages in any sliding {@link #BURST_WINDOW}. */
    public static final int BURST = 3;
    public static final Duration BURST_WINDOW = Duration.ofSeconds(3);

    private static final String HTML = "text/html";
    private static final Set<String> TEXT_TYPES = Set.of("mrkdwn", "plain_text");

    /** Whether the hook can post, and what Slack answers when it cannot. */
    public enum HookState {
        ACTIVE(200, "ok"),
        /** The channel was archived: 410 {@code channel_is_archived}. */
        CHANNEL_ARCHIVED(410, "channel_is_archived"),
        /** The channel was deleted: 404 {@code channel_not_found}. */
        CHANNEL_NOT_FOUND(404, "channel_not_found"),
        /** The app or hook was removed: 404 {@code no_service}, as for a wrong URL. */
        HOOK_REVOKED(404, "no_service"),
        /** A workspace policy forbids posting: 403 {@code action_prohibited}. */
        ACTION_PROHIBITED(403, "action_prohibited");

        private final int status;
        private final String body;

        HookState(int status, String body) {
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    private final String path;
    private HookState state = HookState.ACTIVE;

    private FakeSlack(String teamId, String botId, String secret) {
        super("FakeSlack", 0, 0, Duration.ZERO, BURST, BURST_WINDOW);
        for (String part : new String[] {teamId, botId, secret}) {
            if (part == null || part.isEmpty() || part.contains("/")) {
                throw new IllegalArgumentException("team id, bot id and secret required, without '/'");
            }
        }
        this.path = "/services/" + teamId + "/" + botId + "/" + secret;
    }

    /** Starts a hook {@code /services/T00000000/B00000000/SECRET}. */
    public static FakeSlack start(String secret) {
        return start("T00000000", "B00000000", secret);
    }

    /** Starts a hook {@code /services/TEAM/BOT/SECRET}. */
    public static FakeSlack start(String teamId, String botId, String secret) {
        FakeSlack fake = new FakeSlack(teamId, botId, secret);
        fake.bind();
        return fake;
    }

    /** {@code http://127.0.0.1:PORT/services/TEAM/BOT/SECRET}. */
    @Override
    public String webhookUrl() {
        return baseUrl() + path;
    }

    /** Makes the hook unusable (archived or deleted channel, revoked hook, policy), or usable again. */
    public void setHookState(HookState state) {
        Objects.requireNonNull(state, "state");
        synchronized (this) {
            this.state = state;
        }
    }

    public synchronized HookState hookState() {
        return state;
    }

    /** Accepted messages whose {@code text} was over 40,000 characters (Slack showed it truncated), in order. */
    public List<BotRequest> truncated() {
        return accepted().stream().filter(r -> textLength(r) > MAX_TEXT_CHARS).toList();
    }

    /** The {@code text} of a request as the channel shows it (cut to 40,000 characters), or null. */
    public static String shownText(BotRequest request) {
        JsonNode t = request.json() == null ? null : request.json().get("text");
        if (t == null || !t.isTextual()) {
            return null;
        }
        String s = t.asText();
        return chars(s) <= MAX_TEXT_CHARS ? s : s.substring(0, s.offsetByCodePoints(0, MAX_TEXT_CHARS));
    }

    private static int textLength(BotRequest r) {
        JsonNode t = r.json() == null ? null : r.json().get("text");
        return t == null || !t.isTextual() ? 0 : chars(t.asText());
    }

    /** {@link #reset()} also makes the hook {@link HookState#ACTIVE} again. */
    @Override
    protected void onReset() {
        synchronized (this) {
            state = HookState.ACTIVE;
        }
    }

    @Override
    protected Answer process(Incoming in, Instant now) {
        if (!path.equals(in.path())) {
            return plain(404, "no_service", "unknown path or wrong secret");
        }
        HookState s;
        synchronized (this) {
            s = state;
        }
        if (s != HookState.ACTIVE) {
            return plain(s.status(), s.body(), "hook state " + s);
        }
        if (!"POST".equals(in.method())) {
            return plain(400, "invalid_payload", "method " + in.method());
        }
        ObjectNode msg = in.object();
        if (msg == null) {
            return plain(400, "invalid_payload", "body is not a JSON object");
        }
        if (rateLimited(now)) {
            return rateLimited(retryAfter(now), "rate limit");
        }
        JsonNode text = msg.get("text");
        JsonNode blocks = msg.get("blocks");
        boolean hasBlocks = blocks != null && !blocks.isNull();
        if (text != null && !text.isNull() && !text.isTextual()) {
            return plain(400, "invalid_payload", "text is not a string");
        }
        boolean hasText = text != null && text.isTextual() && !text.asText().isBlank();
        if (!hasText && !hasBlocks) {
            return plain(400, "invalid_payload", "neither text nor blocks");
        }
        if (hasBlocks) {
            String invalid = checkBlocks(blocks);
            if (invalid != null) {
                return plain(400, "invalid_blocks", invalid);
            }
        }
        int length = hasText ? chars(text.asText()) : 0;
        String note = length > MAX_TEXT_CHARS
                ? "text truncated from " + length + " to " + MAX_TEXT_CHARS + " characters" : null;
        return successAnswer(200, HTML, "ok", note);
    }

    private static String checkBlocks(JsonNode blocks) {
        if (!blocks.isArray() || blocks.isEmpty()) {
            return "blocks is not a non-empty array";
        }
        if (blocks.size() > MAX_BLOCKS) {
            return blocks.size() + " blocks, at most " + MAX_BLOCKS;
        }
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            if (!b.isObject() || text(b, "type") == null) {
                return "blocks[" + i + "] has no type";
            }
            if (!"section".equals(text(b, "type"))) {
                continue;
            }
            JsonNode t = b.get("text");
            JsonNode fields = b.get("fields");
            if ((t == null || t.isNull()) && (fields == null || fields.isNull())) {
                return "blocks[" + i + "]: section without text or fields";
            }
            if (t != null && !t.isNull()) {
                String problem = checkTextObject(t, MAX_SECTION_TEXT_CHARS);
                if (problem != null) {
                    return "blocks[" + i + "].text: " + problem;
                }
            }
            if (fields != null && !fields.isNull()) {
                if (!fields.isArray() || fields.isEmpty() || fields.size() > MAX_FIELDS) {
                    return "blocks[" + i + "].fields: 1 to " + MAX_FIELDS + " text objects expected";
                }
                for (int f = 0; f < fields.size(); f++) {
                    String problem = checkTextObject(fields.get(f), MAX_FIELD_TEXT_CHARS);
                    if (problem != null) {
                        return "blocks[" + i + "].fields[" + f + "]: " + problem;
                    }
                }
            }
        }
        return null;
    }

    private static String checkTextObject(JsonNode t, int max) {
        if (!t.isObject() || !TEXT_TYPES.contains(text(t, "type"))) {
            return "not a mrkdwn/plain_text text object";
        }
        JsonNode s = t.get("text");
        if (s == null || !s.isTextual() || s.asText().isEmpty()) {
            return "text missing";
        }
        int n = chars(s.asText());
        return n > max ? n + " characters, at most " + max : null;
    }

    private static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    private static Answer rateLimited(Duration wait, String note) {
        return plain(429, "rate_limited", note).withHeader("Retry-After", Long.toString(retryAfterSeconds(wait)));
    }

    /** The injected rate-limit fault says {@code Retry-After: 1}. */
    @Override
    protected Answer rateLimitedAnswer(String note) {
        return rateLimited(Duration.ofSeconds(1), note);
    }

    /** Slack has no signing: the credential failure (404 {@code no_service}) stands for a signature error. */
    @Override
    protected Answer signErrorAnswer(String note) {
        return plain(404, "no_service", note);
    }

    private static Answer plain(int status, String body, String note) {
        return plainAnswer(status, HTML, body, note);
    }
}
