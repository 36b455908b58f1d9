package io.alertrelay.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ConfigException;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.testing.TestConfigs;
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

class SlackChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "https://hooks.slack.com/services/T0001/B0001/XXXXsecretXXXX";

    private final SlackChannel channel = new SlackChannel();
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private static ReceiverConfig receiver(String format, Mentions mentions) {
        return new ReceiverConfig("slack", SlackChannel.TYPE, new Secret(URL), null, format, null, true, mentions, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    private static OutgoingMessage message(ReceiverConfig receiver, String body) {
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)), Instant.EPOCH);
        return new OutgoingMessage(new Notification(receiver, group), body, null, null);
    }

    private Exchange prepared(ReceiverConfig receiver, String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("relayInternal", "must not leak");
        channel.prepare(message(receiver, body), exchange);
        return exchange;
    }

    private static JsonNode payload(Exchange exchange) throws Exception {
        return JSON.readTree(exchange.getMessage().getBody(byte[].class));
    }

    private static final String BLOCKS = """
            {"text":"🔴 HostDown","blocks":[{"type":"header","text":{"type":"plain_text","text":"🔴 HostDown"}},
             {"type":"section","text":{"type":"mrkdwn","text":"*HostDown*"}}]}""";

    @Test
    void prepareIsExactlyThePostToTheHookWithNothingAdded() throws Exception {
        Exchange exchange = prepared(receiver("blocks", Mentions.NONE), BLOCKS);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class)).isEqualTo(URL);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)).startsWith("application/json");
        assertThat(exchange.getMessage().getHeader("relayInternal")).isNull();
        assertThat(payload(exchange)).isEqualTo(JSON.readTree(BLOCKS));
    }

    @Test
    void mentionsAreALastSectionAndALineOfTheNotificationText() throws Exception {
        JsonNode json = payload(prepared(receiver("blocks", new Mentions(List.of(), List.of("U012AB3CD", "W0456"), true)), BLOCKS));
        JsonNode last = json.get("blocks").get(json.get("blocks").size() - 1);
        assertThat(json.get("blocks")).hasSize(3);
        assertThat(last.at("/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(last.at("/text/text").asText()).isEqualTo("<@U012AB3CD> <@W0456> <!channel>");
        assertThat(json.get("text").asText()).isEqualTo("🔴 HostDown\n<@U012AB3CD> <@W0456> <!channel>");

        JsonNode text = payload(prepared(receiver("text", new Mentions(List.of(), List.of("U1"), false)), "{\"text\":\"*x*\"}"));
        assertThat(text.get("text").asText()).isEqualTo("*x*\n<@U1>");
        assertThat(text.has("blocks")).isFalse();
    }

    @Test
    void aHeaderOver150CharactersIsCut() throws Exception {
        String long200 = "H".repeat(200);
        JsonNode json = payload(prepared(receiver("blocks", Mentions.NONE),
                "{\"text\":\"x\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"" + long200 + "\"}}]}"));
        String header = json.at("/blocks/0/text/text").asText();
        assertThat(header.codePointCount(0, header.length())).isEqualTo(150);
        assertThat(header).startsWith("HHH").endsWith("…");
    }

    private Exchange answer(int status, String body, String retryAfter) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", retryAfter);
        }
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private DeliveryFailedException failure(int status, String body, String retryAfter) {
        return catchThrowableOfType(DeliveryFailedException.class, () -> channel.verify(null, answer(status, body, retryAfter)));
    }

    @Test
    void onlyA200SayingOkIsSuccess() {
        assertThatCode(() -> channel.verify(null, answer(200, "ok", null))).doesNotThrowAnyException();
        DeliveryFailedException notOk = failure(200, "<html>proxy</html>", null);
        assertThat(notOk.reason()).isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(200, "", null)).isNotNull();
        assertThat(failure(204, "", null)).isNotNull();
    }

    @Test
    void answersAreClassifiedTheSlackWay() {
        DeliveryFailedException limited = failure(429, "rate_limited", "7");
        assertThat(limited.reason()).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(failure(429, "rate_limited", null).retryAfter()).isNull();
        assertThat(failure(429, "rate_limited", "Wed, 21 Oct 2015 07:28:00 GMT").retryAfter()).isNull();

        assertThat(failure(400, "invalid_payload", null).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(failure(400, "invalid_blocks", null).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        for (int gone : new int[] {403, 404, 410}) {
            DeliveryFailedException e = failure(gone, "channel_is_archived", null);
            assertThat(e.reason()).as("HTTP %d", gone).isEqualTo(FailureReason.AUTH_ERROR);
            assertThat(e.isRetryable()).isFalse();
        }
        assertThat(failure(404, "no_service", null).getMessage()).contains("no_service").doesNotContain("secret");
        assertThat(failure(500, "rollup_error", null).reason()).isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(503, "", null).isRetryable()).isTrue();
    }

    @Test
    void theSizeLimitCountsWhereBlockKitCounts() {
        ReceiverConfig r = receiver("blocks", Mentions.NONE);
        String ok = section("x".repeat(3000));
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(ok)))).isTrue();
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(section("x".repeat(3001)))))).as("section text over 3000").isFalse();
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(section("中".repeat(3000)))))).as("characters, not bytes").isTrue();
        String many = String.join(",", java.util.Collections.nCopies(49, section("x")));
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(many)))).as("49 blocks").isTrue();
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(many + "," + section("x"))))).as("50: no room for the mentions").isFalse();
        String fiveLong = String.join(",", java.util.Collections.nCopies(5, section("x".repeat(2500))));
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(fiveLong)))).as("12,500 characters of blocks").isFalse();
        String fields = "{\"type\":\"section\",\"fields\":[" + String.join(",", java.util.Collections.nCopies(11,
                "{\"type\":\"mrkdwn\",\"text\":\"f\"}")) + "]}";
        assertThat(channel.sizeLimit(r).fits(message(r, blocks(fields)))).as("11 fields").isFalse();
        assertThat(channel.sizeLimit(r).fits(message(r, "{\"text\":\"" + "x".repeat(39_000) + "\"}"))).isTrue();
        assertThat(channel.sizeLimit(r).fits(message(r, "{\"text\":\"" + "x".repeat(39_001) + "\"}"))).isFalse();
    }

    private static String section(String text) {
        return "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"" + text + "\"}}";
    }

    private static String blocks(String blocks) {
        return "{\"text\":\"t\",\"blocks\":[" + blocks + "]}";
    }

    @Test
    void theConfigurationRefusesMobilesAndNeedsAUrl() {
        ConfigException mobiles = catchThrowableOfType(ConfigException.class, () -> TestConfigs.parse("""
                receivers:
                  - name: s
                    type: slack
                    url: https://hooks.slack.com/services/T1/B1/abc
                    mentions:
                      mobiles: ["13800000000"]
                route:
                  receiver: s
                """));
        assertThat(mobiles).isNotNull();
        assertThat(mobiles.getMessage()).contains("mentions.mobiles").contains("Slack");
        ConfigException noUrl = catchThrowableOfType(ConfigException.class, () -> TestConfigs.parse("""
                receivers:
                  - name: s
                    type: slack
                route:
                  receiver: s
                """));
        assertThat(noUrl.getMessage()).contains("url is required");
        ConfigException format = catchThrowableOfType(ConfigException.class, () -> TestConfigs.parse("""
                receivers:
                  - name: s
                    type: slack
                    url: https://hooks.slack.com/services/T1/B1/abc
                    format: markdown
                route:
                  receiver: s
                """));
        assertThat(format).isNotNull();
        assertThatCode(() -> TestConfigs.parse("""
                receivers:
                  - name: s
                    type: slack
                    url: https://hooks.slack.com/services/T1/B1/abc
                    format: text
                    mentions:
                      user_ids: [U012AB3CD]
                      all: true
                route:
                  receiver: s
                """)).doesNotThrowAnyException();
    }
}
