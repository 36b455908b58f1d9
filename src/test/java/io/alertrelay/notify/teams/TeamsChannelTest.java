package io.alertrelay.notify.teams;

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

class TeamsChannelTest {

    static final String SIG = "s1gN4tureS3cret";
    static final String URL = "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"
            + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RelayConfigLoader LOADER = new RelayConfigLoader(new PlaceholderResolver(Map.of("TEAMS_URL", URL)::get),
            new RelayConfigValidator(name -> { }, TestChannels.all().all()));

    private final TeamsChannel channel = new TeamsChannel();
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    static ReceiverConfig receiver(String keys) {
        return LOADER.parse("relay.yaml", """
                receivers:
                  - name: teams
                    type: teams
                    url: ${TEAMS_URL}
                %s
                route:
                  receiver: teams
                """.formatted(keys.indent(4).stripTrailing())).receivers().get(0);
    }

    private static String problems(String keys) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> receiver(keys));
        assertThat(e).as("rejected: %s", keys).isNotNull();
        assertThat(e.getMessage()).doesNotContain(SIG);
        return e.getMessage();
    }

    @Test
    void aReceiverNeedsItsWorkflowUrlAndMentionsUsersOnly() {
        assertThat(receiver("").format()).isEqualTo("adaptivecard");
        assertThat(receiver("").toString()).doesNotContain(SIG);
        assertThat(receiver("mentions: {user_ids: [ann@contoso.com, 8e6c9d3a-1b2c-4d5e-9f00-123456789abc]}").mentions().userIds()).hasSize(2);
        assertThat(problems("mentions: {all: true}")).contains("mentions.all: a Teams webhook cannot mention everybody");
        assertThat(problems("mentions: {mobiles: [\"13800000000\"]}")).contains("not by phone number");
        assertThat(problems("format: markdown")).contains("format 'markdown' is not one of [adaptivecard]");
        assertThat(problems("chat_id: 1")).contains("'chat_id' is not a key of a teams receiver");
        ConfigException noUrl = catchThrowableOfType(ConfigException.class, () -> LOADER.parse("relay.yaml", """
                receivers:
                  - name: teams
                    type: teams
                route:
                  receiver: teams
                """));
        assertThat(noUrl.getMessage()).contains("url is required for a teams receiver");
    }

    private Exchange prepared(ReceiverConfig receiver, String body) {
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)), Instant.EPOCH);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("relayInternal", "must not leak");
        channel.prepare(new OutgoingMessage(new Notification(receiver, group), body, null, null), exchange);
        return exchange;
    }

    private static final String CARD = "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
            + "\"contentUrl\":null,\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.2\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"x\"}],"
            + "\"msteams\":{\"width\":\"full\"}}}]}";

    @Test
    void preparePostsTheCardToTheWorkflowWithAnEntityForEachMention() throws Exception {
        Exchange exchange = prepared(receiver("mentions: {user_ids: [ann@contoso.com, 8e6c9d3a-1b2c-4d5e-9f00-123456789abc]}"), CARD);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class)).isEqualTo(URL);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(exchange.getMessage().getHeader("relayInternal")).isNull();
        JsonNode card = JSON.readTree(exchange.getMessage().getBody(byte[].class)).at("/attachments/0/content");
        assertThat(card.at("/body/1/text").asText()).isEqualTo("<at>ann@contoso.com</at> <at>8e6c9d3a-1b2c-4d5e-9f00-123456789abc</at>");
        assertThat(card.at("/msteams/width").asText()).isEqualTo("full");
        JsonNode entities = card.at("/msteams/entities");
        assertThat(entities).hasSize(2);
        assertThat(entities.get(0).toString()).isEqualTo(
                "{\"type\":\"mention\",\"text\":\"<at>ann@contoso.com</at>\",\"mentioned\":{\"id\":\"ann@contoso.com\",\"name\":\"ann@contoso.com\"}}");

        JsonNode plain = JSON.readTree(prepared(receiver(""), CARD).getMessage().getBody(byte[].class));
        assertThat(plain).isEqualTo(JSON.readTree(CARD));
    }

    private Exchange answer(int status, String body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        headers.forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private DeliveryFailedException failure(int status, String body, Map<String, String> headers) {
        DeliveryFailedException e = catchThrowableOfType(DeliveryFailedException.class, () -> channel.verify(null, answer(status, body, headers)));
        assertThat(e).as("%d is a failure", status).isNotNull();
        assertThat(e.getMessage()).doesNotContain(SIG);
        return e;
    }

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}";
    }

    @Test
    void verifyTakes202And200AndClassifiesTheRest() {
        assertThatCode(() -> channel.verify(null, answer(202, "", Map.of()))).doesNotThrowAnyException();
        assertThatCode(() -> channel.verify(null, answer(200, "1", Map.of()))).doesNotThrowAnyException();

        DeliveryFailedException throttled = failure(429, error("WorkflowRequestsThrottled"), Map.of("Retry-After", "7"));
        assertThat(throttled.reason()).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(throttled.getMessage()).contains("WorkflowRequestsThrottled");
        assertThat(failure(401, error("DirectApiInvalidAuthorizationSignature"), Map.of()).reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(failure(403, "", Map.of()).reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(failure(400, error("InvalidTemplate"), Map.of()).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(failure(413, error("MessageTooLarge"), Map.of()).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(failure(404, error("WorkflowNotFound"), Map.of()).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(failure(502, "<html>Bad Gateway</html>", Map.of()).reason()).isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(204, "", Map.of()).reason()).as("not the trigger's answer").isEqualTo(FailureReason.SERVER_ERROR);
    }

    @Test
    void theSizeLimitIsTheBodyWithRoomForTheMentions() {
        ReceiverConfig plain = receiver("");
        ReceiverConfig mentioning = receiver("mentions: {user_ids: [ann@contoso.com]}");
        int max = TeamsChannel.MAX_BODY_BYTES - TeamsChannel.MARGIN;
        assertThat(channel.sizeLimit(plain).fits(message(plain, max))).isTrue();
        assertThat(channel.sizeLimit(plain).fits(message(plain, max + 1))).isFalse();
        assertThat(channel.sizeLimit(mentioning).fits(message(plain, max))).as("room kept for the mention").isFalse();
    }

    private static OutgoingMessage message(ReceiverConfig receiver, int bytes) {
        String prefix = "{\"t\":\"";
        return new OutgoingMessage(new Notification(receiver, null), prefix + "中".repeat((bytes - prefix.length() - 2) / 3)
                + "a".repeat((bytes - prefix.length() - 2) % 3) + "\"}", null, null);
    }
}
