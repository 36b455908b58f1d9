package io.alertrelay.notify.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeishuChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Mentions TWO_USERS_AND_ALL = new Mentions(List.of("13800000000"), List.of("ou_1", "ou_2"), true);

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void interactiveCardGetsALarkMdDivWithAtTags() throws Exception {
        ObjectNode payload = parse("{\"msg_type\":\"interactive\",\"card\":{\"elements\":[{\"tag\":\"hr\"}]}}");
        FeishuChannel.addMentions(payload, TWO_USERS_AND_ALL);
        JsonNode elements = payload.get("card").get("elements");
        assertThat(elements).hasSize(2);
        assertThat(elements.get(0).get("tag").asText()).isEqualTo("hr");
        JsonNode div = elements.get(1);
        assertThat(div.get("tag").asText()).isEqualTo("div");
        assertThat(div.get("text").get("tag").asText()).isEqualTo("lark_md");
        assertThat(div.get("text").get("content").asText())
                .isEqualTo("<at id=ou_1></at> <at id=ou_2></at> <at id=all></at>");
    }

    @Test
    void textGetsTheAtTagsOnANewLine() throws Exception {
        ObjectNode payload = parse("{\"msg_type\":\"text\",\"content\":{\"text\":\"HostDown\"}}");
        FeishuChannel.addMentions(payload, new Mentions(List.of(), List.of("ou_1"), true));
        assertThat(payload.get("content").get("text").asText())
                .isEqualTo("HostDown\n<at user_id=\"ou_1\"></at> <at user_id=\"all\"></at>");
    }

    @Test
    void postGetsALineOfAtElementsInEveryLanguage() throws Exception {
        ObjectNode payload = parse("{\"msg_type\":\"post\",\"content\":{\"post\":{"
                + "\"zh_cn\":{\"title\":\"t\",\"content\":[[{\"tag\":\"text\",\"text\":\"a\"}]]},"
                + "\"en_us\":{\"title\":\"t\",\"content\":[[{\"tag\":\"text\",\"text\":\"a\"}]]}}}}");
        FeishuChannel.addMentions(payload, TWO_USERS_AND_ALL);
        for (String lang : List.of("zh_cn", "en_us")) {
            JsonNode content = payload.get("content").get("post").get(lang).get("content");
            assertThat(content).as(lang).hasSize(2);
            JsonNode line = content.get(1);
            assertThat(line).hasSize(3);
            assertThat(line.get(0).get("tag").asText()).isEqualTo("at");
            assertThat(line.get(0).get("user_id").asText()).isEqualTo("ou_1");
            assertThat(line.get(1).get("user_id").asText()).isEqualTo("ou_2");
            assertThat(line.get(2).get("user_id").asText()).isEqualTo("all");
        }
    }

    @Test
    void phoneNumbersAloneCannotMentionOnFeishu() throws Exception {
        ObjectNode payload = parse("{\"msg_type\":\"text\",\"content\":{\"text\":\"HostDown\"}}");
        ObjectNode before = payload.deepCopy();
        FeishuChannel.addMentions(payload, new Mentions(List.of("13800000000"), List.of(), false));
        assertThat(payload).isEqualTo(before);
        FeishuChannel.addMentions(payload, Mentions.NONE);
        assertThat(payload).isEqualTo(before);
    }

    // --- prepare/verify through an exchange ---

    private Exchange exchangeFor(String secret, String body) {
        ReceiverConfig receiver = new ReceiverConfig("lark", ReceiverType.FEISHU,
                new Secret("https://open.feishu.cn/open-apis/bot/v2/hook/tok"), new Secret(secret), "interactive",
                null, true, null, null, null, null, null, null, null, null, null, null, null, null);
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)),
                Instant.EPOCH);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("test.message", new OutgoingMessage(new Notification(receiver, group), body, null, null));
        return exchange;
    }

    @Test
    void prepareSignsInTheBodyWithTheClockInSeconds() throws Exception {
        FeishuChannel notifier = new FeishuChannel(Clock.fixed(Instant.ofEpochMilli(1700000000999L), ZoneOffset.UTC));
        Exchange exchange = exchangeFor("SECtest", "{\"msg_type\":\"text\",\"content\":{\"text\":\"hi\"}}");
        notifier.prepare(exchange.getProperty("test.message", OutgoingMessage.class), exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class))
                .isEqualTo("https://open.feishu.cn/open-apis/bot/v2/hook/tok");
        JsonNode sent = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(sent.get("timestamp").isTextual()).isTrue();
        assertThat(sent.get("timestamp").asText()).isEqualTo("1700000000");
        assertThat(sent.get("sign").asText()).isEqualTo("G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=");
        assertThat(sent.get("content").get("text").asText()).isEqualTo("hi");
    }

    @Test
    void prepareWithoutSecretDoesNotSign() throws Exception {
        FeishuChannel notifier = new FeishuChannel(Clock.fixed(Instant.ofEpochSecond(1700000000L), ZoneOffset.UTC));
        Exchange exchange = exchangeFor(null, "{\"msg_type\":\"text\",\"content\":{\"text\":\"hi\"}}");
        notifier.prepare(exchange.getProperty("test.message", OutgoingMessage.class), exchange);
        JsonNode sent = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(sent.has("sign")).isFalse();
        assertThat(sent.has("timestamp")).isFalse();
    }

    private Exchange answer(int status, String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private FailureReason failure(int status, String body) {
        FeishuChannel notifier = new FeishuChannel(Clock.systemUTC());
        DeliveryFailedException e = catchThrowableOfType(DeliveryFailedException.class,
                () -> notifier.verify(null, answer(status, body)));
        assertThat(e).as("must fail: HTTP %s %s", status, body).isNotNull();
        return e.reason();
    }

    @Test
    void verifyReadsCodeAndTheOlderStatusCodeShape() {
        FeishuChannel notifier = new FeishuChannel(Clock.systemUTC());
        assertThatCode(() -> notifier.verify(null, answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> notifier.verify(null, answer(200, "{\"Extra\":null,\"StatusCode\":0,\"StatusMessage\":\"success\"}")))
                .doesNotThrowAnyException();
        assertThat(failure(200, "{\"code\":11232,\"msg\":\"frequency limited\"}")).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(failure(400, "{\"code\":9499,\"msg\":\"too many request\"}")).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(failure(400, "{\"code\":9499,\"msg\":\"Bad Request\"}")).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(failure(200, "{\"code\":19021,\"msg\":\"sign match fail\"}")).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(failure(200, "{\"code\":19022,\"msg\":\"ip not allowed\"}")).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(failure(200, "{\"code\":19024,\"msg\":\"Key Words Not Found\"}")).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(failure(200, "not json")).isEqualTo(FailureReason.SERVER_ERROR);
    }
}
