package io.alertrelay.notify.dingtalk;

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

class DingTalkChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private static ObjectNode markdown(String text) throws Exception {
        return (ObjectNode) JSON.readTree("{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":"
                + JSON.writeValueAsString(text) + "}}");
    }

    @Test
    void noMentionsLeaveThePayloadAlone() throws Exception {
        ObjectNode payload = markdown("### HostDown");
        ObjectNode before = payload.deepCopy();
        DingTalkChannel.addMentions(payload, Mentions.NONE);
        assertThat(payload).isEqualTo(before);
    }

    @Test
    void markdownGetsTheAtBlockAndTheMobilesInTheText() throws Exception {
        ObjectNode payload = markdown("### HostDown");
        DingTalkChannel.addMentions(payload, new Mentions(List.of("13800000000", "13900000000"), List.of("user1"), false));

        JsonNode at = payload.get("at");
        assertThat(at.get("atMobiles")).containsExactly(
                JSON.getNodeFactory().textNode("13800000000"), JSON.getNodeFactory().textNode("13900000000"));
        assertThat(at.get("atUserIds")).containsExactly(JSON.getNodeFactory().textNode("user1"));
        assertThat(at.get("isAtAll").asBoolean()).isFalse();
        String text = payload.get("markdown").get("text").asText();
        assertThat(text).startsWith("### HostDown\n\n").contains("@13800000000").contains("@13900000000");
        assertThat(text).isEqualTo("### HostDown\n\n@13800000000 @13900000000 @user1");
    }

    @Test
    void atAllIsFlaggedAndShownInMarkdown() throws Exception {
        ObjectNode payload = markdown("x");
        DingTalkChannel.addMentions(payload, new Mentions(List.of(), List.of(), true));
        assertThat(payload.get("at").get("isAtAll").asBoolean()).isTrue();
        assertThat(payload.get("at").get("atMobiles")).isEmpty();
        assertThat(payload.get("markdown").get("text").asText()).isEqualTo("x\n\n@all");
    }

    @Test
    void textMessageGetsTheAtBlockOnly() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"msgtype\":\"text\",\"text\":{\"content\":\"hello\"}}");
        DingTalkChannel.addMentions(payload, new Mentions(List.of("13800000000"), List.of(), false));
        assertThat(payload.get("at").get("atMobiles").get(0).asText()).isEqualTo("13800000000");
        assertThat(payload.get("text").get("content").asText()).isEqualTo("hello");
        assertThat(payload.has("markdown")).isFalse();
    }

    // --- prepare/verify through an exchange ---

    private static ReceiverConfig receiver(String url, String secret, Mentions mentions) {
        return new ReceiverConfig("ding", ReceiverType.DINGTALK, new Secret(url), new Secret(secret), "markdown",
                null, true, mentions, null, null, null, null, null, null, null, null, null, null, null);
    }

    private Exchange exchangeFor(ReceiverConfig receiver, String body) {
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)),
                Instant.EPOCH);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("test.message", new OutgoingMessage(new Notification(receiver, group), body, null, null));
        exchange.getMessage().setHeader("relayInternal", "must not leak");
        return exchange;
    }

    @Test
    void prepareSignsTheUrlWithTheClockInMillisAndAddsMentions() throws Exception {
        DingTalkChannel notifier = new DingTalkChannel(Clock.fixed(Instant.ofEpochMilli(1700000000001L), ZoneOffset.UTC));
        Exchange exchange = exchangeFor(receiver("https://oapi.dingtalk.com/robot/send?access_token=tok", "SECtest",
                new Mentions(List.of("13800000000"), List.of(), false)),
                "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":\"hi\"}}");

        notifier.prepare(exchange.getProperty("test.message", OutgoingMessage.class), exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class))
                .isEqualTo("https://oapi.dingtalk.com/robot/send?access_token=tok&timestamp=1700000000001"
                        + "&sign=r4CWp%2FDz%2BNg0sbTjH1vB0Fr%2BuQ2fn831mssaN6%2FC05I%3D");
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(exchange.getMessage().getHeader("relayInternal")).isNull();
        JsonNode sent = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(sent.get("markdown").get("text").asText()).isEqualTo("hi\n\n@13800000000");
        assertThat(sent.get("at").get("atMobiles").get(0).asText()).isEqualTo("13800000000");
    }

    @Test
    void prepareWithoutSecretLeavesTheUrlUnsigned() {
        DingTalkChannel notifier = new DingTalkChannel(Clock.fixed(Instant.ofEpochMilli(1700000000000L), ZoneOffset.UTC));
        Exchange exchange = exchangeFor(receiver("https://oapi.dingtalk.com/robot/send?access_token=tok", null, null),
                "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
        notifier.prepare(exchange.getProperty("test.message", OutgoingMessage.class), exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class))
                .isEqualTo("https://oapi.dingtalk.com/robot/send?access_token=tok");
    }

    private Exchange answer(int status, String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    @Test
    void verifyReadsErrcodeInsideHttp200() {
        DingTalkChannel notifier = new DingTalkChannel(Clock.systemUTC());
        assertThatCode(() -> notifier.verify(null, answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"))).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(DeliveryFailedException.class,
                () -> notifier.verify(null, answer(200, "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}")))
                .reason()).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(catchThrowableOfType(DeliveryFailedException.class,
                () -> notifier.verify(null, answer(200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}")))
                .reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(catchThrowableOfType(DeliveryFailedException.class,
                () -> notifier.verify(null, answer(200, "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}")))
                .reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(catchThrowableOfType(DeliveryFailedException.class,
                () -> notifier.verify(null, answer(200, "{\"errcode\":460101,\"errmsg\":\"message too large\"}")))
                .reason()).isEqualTo(FailureReason.CLIENT_ERROR);
    }
}
