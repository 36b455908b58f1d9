package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeTelegramTest {

    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private static final long USER = 987_654_321L;
    private static final long GROUP = -4_000_123L;
    private static final long SUPERGROUP = -1_001_234_567_890L;
    private static final long CHANNEL = -1_009_999_999_999L;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T08:00:00Z"));
    private FakeTelegram fake;

    @BeforeEach
    void start() {
        fake = FakeTelegram.start(TOKEN, USER, GROUP, SUPERGROUP).addChannel("relay_alerts", CHANNEL);
        fake.setClock(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static String msg(Object chatId, String text, String parseMode) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        if (chatId instanceof Long l) {
            n.put("chat_id", l);
        } else if (chatId != null) {
            n.put("chat_id", chatId.toString());
        }
        if (text != null) {
            n.put("text", text);
        }
        if (parseMode != null) {
            n.put("parse_mode", parseMode);
        }
        return n.toString();
    }

    private HttpResponse<String> send(Object chatId, String text, String parseMode) {
        return post(fake.webhookUrl(), msg(chatId, text, parseMode));
    }

    private static void assertError(HttpResponse<String> r, int status, String description) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode json = BotHttp.json(r);
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("error_code").asInt()).isEqualTo(status);
        assertThat(json.get("description").asText()).as(r.body()).isEqualTo(description);
    }

    private static void assertEntityError(HttpResponse<String> r, String reasonPart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(BotHttp.json(r).get("description").asText()).as(r.body())
                .startsWith("Bad Request: can't parse entities: ").contains(reasonPart);
    }

    private static void assertOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(BotHttp.json(r).get("ok").asBoolean()).as(r.body()).isTrue();
    }

    @Test
    void sendsAndAnswersTheMessage() {
        assertThat(fake.webhookUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/bot" + TOKEN + "/sendMessage");
        assertThat(fake.apiBaseUrl()).isEqualTo(fake.baseUrl());

        HttpResponse<String> r = send(USER, "<b>[FIRING]</b> HighCPU &lt;prod&gt;", "HTML");
        assertOk(r);
        JsonNode result = BotHttp.json(r).get("result");
        assertThat(result.get("message_id").asInt()).isEqualTo(1);
        assertThat(result.at("/chat/id").asLong()).isEqualTo(USER);
        assertThat(result.at("/chat/type").asText()).isEqualTo("private");
        assertThat(result.at("/from/id").asLong()).isEqualTo(123456789L);
        assertThat(result.at("/from/is_bot").asBoolean()).isTrue();
        assertThat(result.get("date").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(result.get("text").asText()).isEqualTo("[FIRING] HighCPU <prod>");

        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> second = send(USER, "*\\[RESOLVED\\]* HighCPU", "MarkdownV2");
        assertOk(second);
        assertThat(BotHttp.json(second).at("/result/message_id").asInt()).isEqualTo(2);
        assertThat(BotHttp.json(second).at("/result/text").asText()).isEqualTo("[RESOLVED] HighCPU");

        // numeric strings, @username of a channel, no parse_mode
        HttpResponse<String> channel = send("@relay_alerts", "plain <text> & *stars*", null);
        assertOk(channel);
        assertThat(BotHttp.json(channel).at("/result/chat/type").asText()).isEqualTo("channel");
        assertThat(BotHttp.json(channel).at("/result/chat/id").asLong()).isEqualTo(CHANNEL);
        assertOk(send(String.valueOf(SUPERGROUP), "to the supergroup", null));

        List<BotRequest> accepted = fake.awaitAccepted(4, Duration.ofSeconds(1));
        assertThat(accepted).allMatch(BotRequest::succeeded);
        assertThat(FakeTelegram.shownText(accepted.get(0))).isEqualTo("[FIRING] HighCPU <prod>");
        assertThat(fake.sentTo(USER)).hasSize(2);
        assertThat(fake.sentTo(CHANNEL)).extracting(FakeTelegram::shownText).containsExactly("plain <text> & *stars*");
        assertThat(fake.sentTo(SUPERGROUP)).hasSize(1);
        assertThat(accepted.get(0).toString()).doesNotContain(TOKEN).contains("/bot***/sendMessage");
    }

    @Test
    void wrongTokenPathOrMethod() {
        HttpResponse<String> r = post(fake.baseUrl() + "/bot123456789:wrong/sendMessage", msg(USER, "hi", null));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
        assertError(post(fake.baseUrl() + "/sendMessage", msg(USER, "hi", null)), 404, "Not Found");
        assertError(post(fake.baseUrl() + "/bot" + TOKEN + "/sendPhoto", msg(USER, "hi", null)), 404, "Not Found");
        assertOk(post(fake.baseUrl() + "/bot" + TOKEN + "/sendmessage", msg(USER, "method names ignore case", null)));
        assertThat(fake.accepted()).hasSize(1);
        assertThat(fake.describe()).doesNotContain("wrong").doesNotContain(TOKEN);
    }

    @Test
    void chatIdMustBeAKnownChat() {
        assertError(post(fake.webhookUrl(), "{\"text\":\"no chat\"}"), 400, "Bad Request: chat_id is empty");
        assertError(post(fake.webhookUrl(), msg("", "empty", null)), 400, "Bad Request: chat_id is empty");
        assertError(post(fake.webhookUrl(), msg(USER, "form", null), "application/x-www-form-urlencoded"), 400,
                "Bad Request: chat_id is empty");
        assertError(post(fake.webhookUrl(), "chat_id=1&text=x", "application/x-www-form-urlencoded"), 400,
                "Bad Request: chat_id is empty");
        assertError(post(fake.webhookUrl(), "not json"), 400, "Bad Request: chat_id is empty");

        assertError(send(42L, "unknown id", null), 400, "Bad Request: chat not found");
        assertError(send("@nobody_here", "unknown name", null), 400, "Bad Request: chat not found");
        assertError(send("relay_alerts", "name without @", null), 400, "Bad Request: chat not found");
        assertError(post(fake.webhookUrl(), "{\"chat_id\":1.5,\"text\":\"x\"}"), 400, "Bad Request: chat not found");
        assertError(post(fake.webhookUrl(), "{\"chat_id\":{\"id\":1},\"text\":\"x\"}"), 400,
                "Bad Request: chat not found");
        assertThat(fake.accepted()).isEmpty();
        assertOk(send(String.valueOf(USER), "numeric string", null));
    }

    @Test
    void migratedGroupAndBlockedBot() {
        long newId = -1_005_555_555_555L;
        fake.migrateChat(GROUP, newId).blockBot(USER);
        HttpResponse<String> r = send(GROUP, "to the old group", null);
        assertError(r, 400, "Bad Request: group chat was upgraded to a supergroup chat");
        assertThat(BotHttp.json(r).at("/parameters/migrate_to_chat_id").asLong()).isEqualTo(newId);
        assertError(send(USER, "blocked", null), 403, "Forbidden: bot was blocked by the user");
        assertThat(fake.accepted()).isEmpty();
        HttpResponse<String> moved = send(newId, "to the supergroup", null);
        assertOk(moved);
        assertThat(BotHttp.json(moved).at("/result/chat/type").asText()).isEqualTo("supergroup");
    }

    @Test
    void textMustBePresentAndParseModeKnown() {
        assertError(send(USER, null, null), 400, "Bad Request: message text is empty");
        assertError(post(fake.webhookUrl(), "{\"chat_id\":" + USER + ",\"text\":42}"), 400,
                "Bad Request: message text is empty");
        assertError(send(USER, "", null), 400, "Bad Request: message text is empty");
        assertError(send(USER, " \n ", null), 400, "Bad Request: message text is empty");
        assertError(send(USER, "<b> </b>", "HTML"), 400, "Bad Request: message text is empty");
        assertError(send(USER, "x", "Markdown2"), 400, "Bad Request: unsupported parse_mode");
        assertThat(fake.accepted()).isEmpty();
        assertOk(send(USER, "<i>parse_mode ignores case</i>", "html"));
    }

    @Test
    void lengthIsCountedAfterEntityParsing() {
        fake.setPerChatLimit(0, Duration.ofSeconds(1));
        assertOk(send(USER, "x".repeat(4096), null));
        assertError(send(USER, "x".repeat(4097), null), 400, "Bad Request: message is too long");
        // tags are not counted, entities count as one character
        assertOk(send(USER, "<b>" + "x".repeat(4000) + "</b><a href=\"https://e.org/?a=1&b=2\">"
                + "y".repeat(96) + "</a>", "HTML"));
        assertOk(send(USER, "&lt;".repeat(4096), "HTML"));
        assertError(send(USER, "&lt;".repeat(4097), "HTML"), 400, "Bad Request: message is too long");
        // escapes and markup are not counted
        assertOk(send(USER, "\\.".repeat(4096), "MarkdownV2"));
        assertOk(send(USER, "*" + "x".repeat(4096) + "*", "MarkdownV2"));
        assertError(send(USER, "\\.".repeat(4097), "MarkdownV2"), 400, "Bad Request: message is too long");
        // characters are UTF-16 code units: an emoji outside the BMP counts twice
        assertOk(send(USER, "🔥".repeat(2048), null));
        assertError(send(USER, "🔥".repeat(2048) + "x", null), 400, "Bad Request: message is too long");
        assertOk(send(USER, "告".repeat(4096), null));
        assertThat(fake.accepted()).hasSize(7);
    }

    @Test
    void htmlMustBeWellFormed() {
        fake.setPerChatLimit(0, Duration.ofSeconds(1));
        assertEntityError(send(USER, "cpu < 90%", "HTML"), "Unsupported start tag \"\" at byte offset 4");
        assertEntityError(send(USER, "cpu > 90%", "HTML"), "Character '>' at byte offset 4");
        assertEntityError(send(USER, "AT&T", "HTML"), "Character '&' at byte offset 2");
        assertEntityError(send(USER, "&nbsp;", "HTML"), "Character '&' at byte offset 0");
        assertEntityError(send(USER, "<h1>x</h1>", "HTML"), "Unsupported start tag \"h1\"");
        assertEntityError(send(USER, "<br/>", "HTML"), "Unsupported start tag \"br\"");
        assertEntityError(send(USER, "<b>bold", "HTML"), "Can't find end tag corresponding to start tag \"b\"");
        assertEntityError(send(USER, "<b><i>x</b></i>", "HTML"), "Unmatched end tag at byte offset 7, expected \"</i>\"");
        assertEntityError(send(USER, "x</b>", "HTML"), "Unexpected end tag at byte offset 1");
        assertEntityError(send(USER, "<b x", "HTML"), "Unclosed start tag");
        assertEntityError(send(USER, "<span>x</span>", "HTML"), "Tag \"span\" must have class \"tg-spoiler\"");
        // byte offsets are UTF-8 offsets
        assertEntityError(send(USER, "告警 < x", "HTML"), "at byte offset 7");
        assertThat(fake.accepted()).isEmpty();

        String all = "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike>"
                + "<del>d</del><a href='https://e.org/a?x=1&y=2'>a</a><code>c</code><pre><code class=\"language-go\">"
                + "p</code></pre><span class=\"tg-spoiler\">h</span><tg-spoiler>t</tg-spoiler>"
                + "<blockquote expandable>q</blockquote><B>upper</B> &lt;&gt;&amp;&quot; &#39;&#x1F525;";
        HttpResponse<String> r = send(USER, all, "HTML");
        assertOk(r);
        assertThat(BotHttp.json(r).at("/result/text").asText()).isEqualTo("bsieunskdacphtqupper <>&\" '🔥");
    }

    @Test
    void markdownV2ReservedCharactersMustBeEscaped() {
        fake.setPerChatLimit(0, Duration.ofSeconds(1));
        for (char c : "_*[]()~`>#+-=|{}.!".toCharArray()) {
            String text = "x " + c;
            String expect = switch (c) {
                case '_' -> "Can't find end of Italic entity at byte offset 2";
                case '*' -> "Can't find end of Bold entity at byte offset 2";
                case '[' -> "Can't find end of TextUrl entity at byte offset 2";
                case '~' -> "Can't find end of Strikethrough entity at byte offset 2";
                case '`' -> "Can't find end of Code entity at byte offset 2";
                default -> "Character '" + c + "' is reserved and must be escaped with the preceding '\\' (byte offset 2)";
            };
            assertEntityError(send(USER, text, "MarkdownV2"), expect);
        }
        assertEntityError(send(USER, "cpu 90.5%", "MarkdownV2"), "Character '.' is reserved");
        assertEntityError(send(USER, "*bold _italic* x_", "MarkdownV2"), "Can't find end of");
        assertEntityError(send(USER, "[HighCPU] fired", "MarkdownV2"), "Can't find the URL of the TextUrl entity");
        assertEntityError(send(USER, "[x](https://e.org", "MarkdownV2"), "Can't find end of a URL");
        assertEntityError(send(USER, "```\ncode", "MarkdownV2"), "Can't find end of Pre entity at byte offset 0");
        assertEntityError(send(USER, "||spoiler|", "MarkdownV2"), "Character '|' is reserved");
        assertThat(fake.accepted()).isEmpty();

        String escaped = "\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\";
        HttpResponse<String> r = send(USER, escaped, "MarkdownV2");
        assertOk(r);
        assertThat(BotHttp.json(r).at("/result/text").asText()).isEqualTo("_*[]()~`>#+-=|{}.!\\");

        String entities = "*b* _i_ __u__ ~s~ ||h|| [link](https://e.org/x_(1\\)) `a.b-c` ```go\nx := y.z()\n```\n"
                + ">quoted line\n![👍](tg://emoji?id=5368324170671202286)";
        HttpResponse<String> ok = send(USER, entities, "MarkdownV2");
        assertOk(ok);
        assertThat(BotHttp.json(ok).at("/result/text").asText())
                .isEqualTo("b i u s h link a.b-c x := y.z()\n\nquoted line\n👍");
    }

    @Test
    void legacyMarkdownEntitiesMustBeClosed() {
        fake.setPerChatLimit(0, Duration.ofSeconds(1));
        assertEntityError(send(USER, "*bold", "Markdown"), "Can't find end of the entity starting at byte offset 0");
        assertEntityError(send(USER, "snake_case", "Markdown"), "byte offset 5");
        HttpResponse<String> r = send(USER, "*b* _i_ `c` [l](https://e.org) 1+1=2. snake\\_case", "Markdown");
        assertOk(r);
        assertThat(BotHttp.json(r).at("/result/text").asText()).isEqualTo("b i c l 1+1=2. snake_case");
        assertThat(FakeTelegram.parsedText("a *b*", "Markdown")).isEqualTo("a b");
        assertThatThrownBy(() -> FakeTelegram.parsedText("a *b", "MarkdownV2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Can't find end of Bold entity");
    }

    @Test
    void perChatRateAllowsABurstThenRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertOk(send(USER, "burst " + i, null));
        }
        HttpResponse<String> r = send(USER, "4th", null);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).isEqualTo("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry "
                + "after 3\",\"parameters\":{\"retry_after\":3}}");
        // another chat is not affected
        assertOk(send(SUPERGROUP, "other chat", null));
        clock.advance(Duration.ofMillis(2500));
        assertThat(BotHttp.json(send(USER, "t=2.5s", null)).at("/parameters/retry_after").asInt()).isEqualTo(1);
        clock.advance(Duration.ofMillis(500));
        assertOk(send(USER, "t=3s", null));
        // one per second goes on for ever in a private chat
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertOk(send(USER, "steady " + i, null));
        }
        assertThat(fake.sentTo(USER)).hasSize(34);
    }

    @Test
    void groupsGetTwentyPerMinute() {
        for (int i = 0; i < 20; i++) {
            assertOk(send(GROUP, "m" + i, null));
            clock.advance(Duration.ofSeconds(1));
        }
        // t = 20 s: the first message leaves the minute at t = 60 s
        HttpResponse<String> r = send(GROUP, "21st", null);
        assertError(r, 429, "Too Many Requests: retry after 40");
        assertThat(BotHttp.json(r).at("/parameters/retry_after").asInt()).isEqualTo(40);
        assertThat(BotHttp.json(send(CHANNEL, "channel counts as group", null)).get("ok").asBoolean()).isTrue();
        clock.advance(Duration.ofSeconds(39));
        assertThat(send(GROUP, "t=59s", null).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertOk(send(GROUP, "t=60s", null));
        assertThat(fake.sentTo(GROUP)).hasSize(21);

        fake.setGroupPerMinute(0);
        clock.advance(Duration.ofSeconds(1));
        assertOk(send(GROUP, "no group limit", null));
    }

    @Test
    void botWideThirtyPerSecond() {
        long[] users = new long[31];
        for (int i = 0; i < 31; i++) {
            users[i] = 1000 + i;
            fake.addChat(users[i]);
        }
        for (int i = 0; i < 30; i++) {
            assertOk(send(users[i], "broadcast", null));
        }
        assertError(send(users[30], "31st in a second", null), 429, "Too Many Requests: retry after 1");
        clock.advance(Duration.ofSeconds(1));
        assertOk(send(users[30], "next second", null));
    }

    @Test
    void injectedFaultsAndReset() {
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.HTTP_502);
        fake.failNext(1, Fault.CLOSE_CONNECTION);
        assertError(send(USER, "1", null), 429, "Too Many Requests: retry after 1");
        assertError(send(USER, "2", null), 401, "Unauthorized");
        assertThat(send(USER, "3", null).statusCode()).isEqualTo(502);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), msg(USER, "4", null), "application/json",
                Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        assertOk(send(USER, "5", null));
        assertOk(send(USER, "6", null));
        assertOk(send(USER, "7", null));
        assertThat(send(USER, "8", null).statusCode()).isEqualTo(429);
        assertThat(fake.accepted()).extracting(r -> r.jsonText("/text")).containsExactly("5", "6", "7");

        fake.reset();
        HttpResponse<String> after = send(USER, "after reset", null);
        assertOk(after);
        assertThat(BotHttp.json(after).at("/result/message_id").asInt()).isEqualTo(1);
    }
}
