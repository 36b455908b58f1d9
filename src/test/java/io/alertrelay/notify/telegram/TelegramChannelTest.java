package io.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ConfigException;
import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.testing.FakeTelegram;
import io.alertrelay.testing.TestChannels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelegramChannelTest {

    static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RelayConfigLoader LOADER = new RelayConfigLoader(new PlaceholderResolver(Map.of("TG_TOKEN", TOKEN)::get),
            new RelayConfigValidator(name -> { }, TestChannels.all().all()));

    private final TelegramChannel channel = new TelegramChannel();
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    static ReceiverConfig receiver(String keys) {
        return LOADER.parse("relay.yaml", """
                receivers:
                  - name: tg
                    type: telegram
                    bot_token: ${TG_TOKEN}
                %s
                route:
                  receiver: tg
                """.formatted(keys.indent(4).stripTrailing())).receivers().get(0);
    }

    private static String problems(String receiverYaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LOADER.parse("relay.yaml", """
                receivers:
                  - name: tg
                    type: telegram
                %s
                route:
                  receiver: tg
                """.formatted(receiverYaml.indent(4).stripTrailing())));
        assertThat(e).as("rejected: %s", receiverYaml).isNotNull();
        assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("AAHdqTcvCH1v");
        return e.getMessage();
    }

    @Test
    void aReceiverNeedsATokenAndAChatAndNoUrl() {
        ReceiverConfig ok = receiver("chat_id: -1001234567890\nmessage_thread_id: 7");
        assertThat(ok.format()).isEqualTo("html");
        assertThat(ok.toString()).doesNotContain(TOKEN);
        assertThat(ok.settings().as(TelegramSettings.class).toString()).doesNotContain(TOKEN).contains("-1001234567890");
        assertThat(receiver("chat_id: \"@ops_alerts\"\nformat: markdownv2").format()).isEqualTo("markdownv2");

        assertThat(problems("chat_id: 1")).contains("bot_token is required");
        assertThat(problems("bot_token: " + TOKEN)).contains("chat_id is required");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: ops")).contains("chat_id 'ops' is neither");
        assertThat(problems("bot_token: " + TOKEN + "x/y\nchat_id: 1")).contains("bot_token is not a bot token");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nurl: https://api.telegram.org/bot" + TOKEN + "/sendMessage"))
                .contains("url is not used by a telegram receiver");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\napi_url: ftp://proxy")).contains("api_url must be an http(s) URL");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nchat: 2")).contains("'chat' is not a key of this receiver type");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nformat: markdown")).contains("format 'markdown' is not one of");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nmessage_thread_id: 0")).contains("message_thread_id");
    }

    @Test
    void mentionsAreUserIdsOnly() {
        assertThat(receiver("chat_id: 1\nmentions: {user_ids: [\"42\"]}").mentions().userIds()).containsExactly("42");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nmentions: {all: true}"))
                .contains("mentions.all: Telegram has no mention of everybody");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nmentions: {mobiles: [\"13800000000\"]}"))
                .contains("cannot mention by phone number");
        assertThat(problems("bot_token: " + TOKEN + "\nchat_id: 1\nmentions: {user_ids: [ann]}"))
                .contains("'ann' is not a Telegram user id");
    }

    private Exchange prepared(ReceiverConfig receiver, String body) {
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)), Instant.EPOCH);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("relayInternal", "must not leak");
        channel.prepare(new OutgoingMessage(new Notification(receiver, group), body, null, null), exchange);
        return exchange;
    }

    @Test
    void prepareBuildsTheBotUrlAndTheRequestWithTheChatThreadAndMentions() throws Exception {
        ReceiverConfig receiver = receiver("chat_id: \"-1001234567890\"\nmessage_thread_id: 7\napi_url: http://proxy.local:8081/\n"
                + "mentions: {user_ids: [\"42\", \"43\"]}");
        Exchange exchange = prepared(receiver, "{\"parse_mode\":\"HTML\",\"text\":\"<b>x</b>\",\"chat_id\":999,\"disable_notification\":true}");

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class))
                .isEqualTo("http://proxy.local:8081/bot" + TOKEN + "/sendMessage");
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(exchange.getMessage().getHeader("relayInternal")).isNull();
        JsonNode sent = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(sent.get("chat_id").isIntegralNumber()).as("a numeric chat id goes as a number").isTrue();
        assertThat(sent.get("chat_id").asLong()).as("the receiver's chat, not the template's").isEqualTo(-1001234567890L);
        assertThat(sent.get("message_thread_id").asLong()).isEqualTo(7);
        assertThat(sent.get("parse_mode").asText()).isEqualTo("HTML");
        assertThat(sent.get("disable_notification").asBoolean()).isTrue();
        assertThat(sent.at("/link_preview_options/is_disabled").asBoolean()).isTrue();
        assertThat(sent.get("text").asText()).isEqualTo("<b>x</b>\n\n<a href=\"tg://user?id=42\">42</a> <a href=\"tg://user?id=43\">43</a>");
        assertThat(FakeTelegram.parsedText(sent.get("text").asText(), "HTML")).isEqualTo("x\n\n42 43");
    }

    @Test
    void prepareUsesTheDefaultApiAChannelUsernameAndMarkdownV2Mentions() throws Exception {
        ReceiverConfig receiver = receiver("chat_id: \"@ops_alerts\"\nformat: markdownv2\nmentions: {user_ids: [\"42\"]}");
        Exchange exchange = prepared(receiver, "{\"text\":\"*x\\\\.*\"}");
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class))
                .isEqualTo("https://api.telegram.org/bot" + TOKEN + "/sendMessage");
        JsonNode sent = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(sent.get("chat_id").asText()).isEqualTo("@ops_alerts");
        assertThat(sent.has("message_thread_id")).isFalse();
        assertThat(sent.get("parse_mode").asText()).as("a template without parse_mode: the receiver's format").isEqualTo("MarkdownV2");
        assertThat(sent.get("text").asText()).isEqualTo("*x\\.*\n\n[42](tg://user?id=42)");
        assertThat(FakeTelegram.parsedText(sent.get("text").asText(), "MarkdownV2")).isEqualTo("x.\n\n42");
    }

    private Exchange answer(int status, String body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        headers.forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private DeliveryFailedException failure(int status, String body) {
        return failure(status, body, Map.of());
    }

    private DeliveryFailedException failure(int status, String body, Map<String, String> headers) {
        DeliveryFailedException e = catchThrowableOfType(DeliveryFailedException.class,
                () -> channel.verify(null, answer(status, body, headers)));
        assertThat(e).as("%d %s is a failure", status, body).isNotNull();
        return e;
    }

    @Test
    void verifyReadsOkAndClassifiesTelegramsErrors() {
        assertThatCode(() -> channel.verify(null, answer(200, "{\"ok\":true,\"result\":{\"message_id\":1}}", Map.of())))
                .doesNotThrowAnyException();

        DeliveryFailedException limited = failure(429,
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 35\",\"parameters\":{\"retry_after\":35}}");
        assertThat(limited.reason()).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(35));
        assertThat(failure(429, "<html>slow down</html>", Map.of("Retry-After", "7")).retryAfter()).isEqualTo(Duration.ofSeconds(7));

        assertThat(failure(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}").reason())
                .isEqualTo(FailureReason.AUTH_ERROR);
        DeliveryFailedException blocked = failure(403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}");
        assertThat(blocked.reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(blocked.getMessage()).contains("bot was blocked by the user");

        DeliveryFailedException parse = failure(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse entities\"}");
        assertThat(parse.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(parse.isRetryable()).isFalse();
        DeliveryFailedException migrated = failure(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was "
                + "upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1009876543210}}");
        assertThat(migrated.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(migrated.getMessage()).contains("set chat_id: -1009876543210");

        assertThat(failure(502, "<html>Bad Gateway</html>").reason()).isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}").reason())
                .isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(200, "<html>captive portal</html>").reason()).as("a 200 without ok:true").isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(200, "{\"ok\":false}").reason()).isEqualTo(FailureReason.SERVER_ERROR);
    }

    @Test
    void theSizeLimitCountsTheTextAsTelegramDoesWithRoomForTheMentions() {
        ReceiverConfig plain = receiver("chat_id: 1");
        ReceiverConfig mentioning = receiver("chat_id: 1\nmentions: {user_ids: [\"1234567890\", \"1234567891\"]}");
        var limit = channel.sizeLimit(plain);
        int max = TelegramChannel.MAX_TEXT - TelegramChannel.MARGIN;
        // entities count one character, tags none: 4000 shown characters fit however long the HTML
        assertThat(limit.fits(message(plain, "HTML", "<b>" + "&lt;".repeat(max) + "</b>"))).isTrue();
        assertThat(limit.fits(message(plain, "HTML", "&lt;".repeat(max + 1)))).isFalse();
        assertThat(limit.fits(message(plain, "MarkdownV2", "*" + "\\.".repeat(max) + "*"))).isTrue();
        assertThat(limit.fits(message(plain, "MarkdownV2", "[a](http://x/" + "y".repeat(5000) + ")"))).as("a link's target").isTrue();
        assertThat(limit.fits(message(plain, "MarkdownV2", "\\.".repeat(max + 1)))).isFalse();
        // UTF-16 units, as Telegram counts: an emoji is two
        assertThat(limit.fits(message(plain, "HTML", "🔥".repeat(max / 2)))).isTrue();
        assertThat(limit.fits(message(plain, "HTML", "🔥".repeat(max / 2 + 1)))).isFalse();
        // the mentions' "\n\n1234567890 1234567891" (23 characters) are kept free
        assertThat(channel.sizeLimit(mentioning).fits(message(plain, "HTML", "a".repeat(max - 23)))).isTrue();
        assertThat(channel.sizeLimit(mentioning).fits(message(plain, "HTML", "a".repeat(max - 22)))).isFalse();
    }

    private static OutgoingMessage message(ReceiverConfig receiver, String parseMode, String text) {
        String body = JSON.createObjectNode().put("parse_mode", parseMode).put("text", text).toString();
        return new OutgoingMessage(new Notification(receiver, null), body, null, null);
    }
}
