package io.alertrelay.notify.discord;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DiscordChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "https://discord.com/api/webhooks/1234567890/tokenSECRETtoken";

    private final DiscordChannel channel = new DiscordChannel();
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private static ReceiverConfig receiver(Mentions mentions) {
        return new ReceiverConfig("discord", DiscordChannel.TYPE, new Secret(URL), null, null, null, true, mentions, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    private static OutgoingMessage message(ReceiverConfig receiver, String body) {
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)), Instant.EPOCH);
        return new OutgoingMessage(new Notification(receiver, group), body, null, null);
    }

    private JsonNode prepared(Mentions mentions, String body) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("relayInternal", "must not leak");
        channel.prepare(message(receiver(mentions), body), exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class)).isEqualTo(URL);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)).startsWith("application/json");
        assertThat(exchange.getMessage().getHeader("relayInternal")).isNull();
        return JSON.readTree(exchange.getMessage().getBody(byte[].class));
    }

    private static final String EMBED = "{\"embeds\":[{\"title\":\"🔴 HostDown\",\"color\":15548997,\"description\":\"x\"}]}";

    @Test
    void withoutMentionsNothingMayPing() throws Exception {
        JsonNode json = prepared(Mentions.NONE, EMBED);
        assertThat(json.has("content")).isFalse();
        assertThat(json.get("allowed_mentions")).isEqualTo(JSON.readTree("{\"parse\":[]}"));
        assertThat(json.get("embeds")).isEqualTo(JSON.readTree(EMBED).get("embeds"));
    }

    @Test
    void theConfiguredMentionsAreTheOnlyOnesAllowed() throws Exception {
        JsonNode users = prepared(new Mentions(List.of(), List.of("111", "222"), false), EMBED);
        assertThat(users.get("content").asText()).isEqualTo("<@111> <@222>");
        assertThat(users.get("allowed_mentions")).isEqualTo(JSON.readTree("{\"parse\":[],\"users\":[\"111\",\"222\"]}"));
        JsonNode all = prepared(new Mentions(List.of(), List.of(), true), EMBED);
        assertThat(all.get("content").asText()).isEqualTo("@everyone");
        assertThat(all.get("allowed_mentions")).isEqualTo(JSON.readTree("{\"parse\":[\"everyone\"]}"));
    }

    @Test
    void aTitleOver256CharactersIsCut() throws Exception {
        JsonNode json = prepared(Mentions.NONE, "{\"embeds\":[{\"title\":\"" + "中".repeat(300) + "\"}]}");
        String title = json.at("/embeds/0/title").asText();
        assertThat(title.codePointCount(0, title.length())).isEqualTo(256);
        assertThat(title).endsWith("…");
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
    void answersAreClassifiedTheDiscordWay() {
        assertThatCode(() -> channel.verify(null, answer(204, "", null))).doesNotThrowAnyException();
        assertThatCode(() -> channel.verify(null, answer(200, "{\"id\":\"1\"}", null))).doesNotThrowAnyException();
        assertThat(failure(202, "", null).reason()).isEqualTo(FailureReason.SERVER_ERROR);

        DeliveryFailedException limited = failure(429, "{\"message\":\"You are being rate limited.\",\"retry_after\":64.57,\"global\":false}", "65");
        assertThat(limited.reason()).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofMillis(64_570));
        assertThat(failure(429, "", "3").retryAfter()).as("the header without a body").isEqualTo(Duration.ofSeconds(3));
        assertThat(failure(429, "", null).retryAfter()).isNull();

        DeliveryFailedException unknown = failure(404, "{\"message\":\"Unknown Webhook\",\"code\":10015}", null);
        assertThat(unknown.reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(unknown.isRetryable()).isFalse();
        assertThat(unknown.getMessage()).contains("10015").doesNotContain("SECRET");
        assertThat(failure(404, "{\"message\":\"404: Not Found\",\"code\":0}", null).reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(failure(401, "{\"message\":\"401: Unauthorized\",\"code\":0}", null).reason()).isEqualTo(FailureReason.AUTH_ERROR);
        for (int code : new int[] {50035, 50006, 50109, 40005}) {
            assertThat(failure(400, "{\"message\":\"x\",\"code\":" + code + "}", null).reason()).as("%d", code)
                    .isEqualTo(FailureReason.CLIENT_ERROR);
        }
        assertThat(failure(413, "{\"message\":\"Request entity too large\",\"code\":40005}", null).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(failure(502, "<html>bad gateway</html>", null).reason()).isEqualTo(FailureReason.SERVER_ERROR);
    }

    @Test
    void theSizeLimitChecksEveryEmbedLimit() {
        ReceiverConfig r = receiver(Mentions.NONE);
        assertThat(fits(r, embed("t", "x".repeat(4096)))).isTrue();
        assertThat(fits(r, embed("t", "x".repeat(4097)))).as("description over 4096").isFalse();
        assertThat(fits(r, embed("t".repeat(400), "x".repeat(4096)))).as("a title counts as cut to 256").isTrue();
        assertThat(fits(r, embed("t", "x".repeat(3000)) + "," + embed("t", "x".repeat(3000)))).as("6002 in all").isFalse();
        assertThat(fits(r, String.join(",", Collections.nCopies(10, embed("t", "x"))))).isTrue();
        assertThat(fits(r, String.join(",", Collections.nCopies(11, embed("t", "x"))))).as("11 embeds").isFalse();
        String fields = "{\"title\":\"t\",\"fields\":[" + String.join(",", Collections.nCopies(26, "{\"name\":\"n\",\"value\":\"v\"}")) + "]}";
        assertThat(fits(r, fields)).as("26 fields").isFalse();
        assertThat(fits(r, "{\"title\":\"t\",\"fields\":[{\"name\":\"n\",\"value\":\"" + "v".repeat(1025) + "\"}]}")).isFalse();
        assertThat(fits(r, "{\"title\":\"t\",\"footer\":{\"text\":\"" + "f".repeat(2049) + "\"}}")).isFalse();
        assertThat(channel.sizeLimit(r).fits(message(r, "{\"content\":\"" + "c".repeat(2000) + "\"}")))
                .as("no room left in content for the mentions").isFalse();
    }

    private boolean fits(ReceiverConfig r, String embeds) {
        return channel.sizeLimit(r).fits(message(r, "{\"embeds\":[" + embeds + "]}"));
    }

    private static String embed(String title, String description) {
        return "{\"title\":\"" + title + "\",\"description\":\"" + description + "\"}";
    }

    @Test
    void theConfigurationRefusesMobilesAndNonNumericIds() {
        ConfigException mobiles = catchThrowableOfType(ConfigException.class, () -> TestConfigs.parse("""
                receivers:
                  - name: d
                    type: discord
                    url: https://discord.com/api/webhooks/1/t
                    mentions:
                      mobiles: ["13800000000"]
                      user_ids: [zhangsan]
                route:
                  receiver: d
                """));
        assertThat(mobiles.getMessage()).contains("mentions.mobiles").contains("'zhangsan' is not a Discord user id");
        assertThat(catchThrowableOfType(ConfigException.class, () -> TestConfigs.parse("""
                receivers:
                  - name: d
                    type: discord
                route:
                  receiver: d
                """)).getMessage()).contains("url is required");
        assertThatCode(() -> TestConfigs.parse("""
                receivers:
                  - name: d
                    type: discord
                    url: https://discord.com/api/webhooks/1/t
                    mentions:
                      user_ids: ["123456789012345678"]
                      all: true
                route:
                  receiver: d
                """)).doesNotThrowAnyException();
    }
}
