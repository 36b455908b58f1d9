package io.alertrelay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.store.History;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The history endpoints' parameters (a bad one is a 400 naming it) and the JSON they answer. */
class HistoryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final History history = new History(TestStores.fresh(), clock, Duration.ofDays(7), 1000);
    private final HistoryApi api = new HistoryApi(history);

    private static AlertGroup group(String alertname) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", alertname), Map.of(), T0, null, "", null);
        return new AlertGroup("{}:{alertname=\"" + alertname + "\"}", "alertmanager", "am", null, "",
                Map.of("alertname", alertname), Map.of(), 0, List.of(alert), T0);
    }

    private void record() {
        history.delivered(new History.Message("ops", "feishu", "interactive", List.of(group("HostDown")), null, "{\"card\":1}"));
        clock.advance(Duration.ofMinutes(1));
        history.failed(new History.Message("dev", "dingtalk", "markdown", List.of(group("DiskFull")), null, "{\"md\":2}"),
                "authError", "authError: errcode 310000");
    }

    private JsonNode list(String receiver, String status, String label, String from, String to, String limit) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        api.list(exchange, receiver, status, label, from, to, limit);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }

    @Test
    void theListIsNewestFirstWithoutBodies() throws Exception {
        record();
        JsonNode answer = list(null, null, null, null, null, null);
        assertThat(answer.path("total").asLong()).isEqualTo(2);
        assertThat(answer.path("history")).hasSize(2);
        JsonNode failed = answer.at("/history/0");
        assertThat(failed.path("receiver").asText()).isEqualTo("dev");
        assertThat(failed.path("receiverType").asText()).isEqualTo("dingtalk");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("reason").asText()).isEqualTo("authError");
        assertThat(failed.path("detail").asText()).isEqualTo("authError: errcode 310000");
        assertThat(failed.path("sentAt").asText()).isEqualTo("2026-12-01T06:01:00Z");
        assertThat(failed.path("groupCount").asInt()).isEqualTo(1);
        assertThat(failed.at("/groupKeys/0").asText()).isEqualTo("{}:{alertname=\"DiskFull\"}");
        assertThat(failed.at("/labels/0").asText()).isEqualTo("alertname=\"DiskFull\"");
        assertThat(failed.path("firing").asBoolean()).isTrue();
        assertThat(failed.path("format").asText()).isEqualTo("markdown");
        assertThat(failed.has("body")).isFalse();
        JsonNode delivered = answer.at("/history/1");
        assertThat(delivered.path("status").asText()).isEqualTo("delivered");
        assertThat(delivered.path("reason").isNull()).isTrue();
    }

    @Test
    void everyFilterIsPassedOn() throws Exception {
        record();
        assertThat(receivers(list("ops", null, null, null, null, null))).containsExactly("ops");
        assertThat(receivers(list(null, "failed", null, null, null, null))).containsExactly("dev");
        assertThat(receivers(list(null, "delivered", null, null, null, null))).containsExactly("ops");
        assertThat(receivers(list(null, null, "alertname=HostDown", null, null, null))).containsExactly("ops");
        assertThat(receivers(list(null, null, "disk", null, null, null))).containsExactly("dev");
        assertThat(receivers(list(null, null, null, "2026-12-01T06:00:30Z", null, null))).containsExactly("dev");
        assertThat(receivers(list(null, null, null, null, "2026-12-01T14:00:30+08:00", null))).containsExactly("ops");
        assertThat(receivers(list(null, null, null, String.valueOf(T0.toEpochMilli()), String.valueOf(T0.toEpochMilli()), null)))
                .containsExactly("ops");
        assertThat(receivers(list(null, null, null, null, null, "1"))).containsExactly("dev");
        assertThat(receivers(list("", "", "", "", "", ""))).as("empty parameters are no filters").containsExactly("dev", "ops");
    }

    @Test
    void oneEntryHasItsBody() throws Exception {
        record();
        long id = list("ops", null, null, null, null, null).at("/history/0/id").asLong();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        api.entry(exchange, String.valueOf(id));
        JsonNode entry = JSON.readTree(exchange.getMessage().getBody(String.class));
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(entry.path("id").asLong()).isEqualTo(id);
        assertThat(entry.path("receiver").asText()).isEqualTo("ops");
        assertThat(entry.path("body").asText()).isEqualTo("{\"card\":1}");
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(delimiter = '|', value = {
            "limit|abc|limit must be a whole number from 1 to 500",
            "limit|0|limit must be a whole number from 1 to 500",
            "limit|501|limit must be a whole number from 1 to 500",
            "limit|-1|limit must be a whole number from 1 to 500",
            "limit|99999999999|limit must be a whole number from 1 to 500",
            "status|sent|status must be delivered or failed",
            "from|yesterday|from must be epoch milliseconds or an RFC 3339 time",
            "to|2026-12-01 06:00|to must be epoch milliseconds or an RFC 3339 time",
            "to|2026-12-01T06:00:00|to must be epoch milliseconds or an RFC 3339 time",
    })
    void aBadParameterIsA400NamingIt(String parameter, String value, String message) {
        assertThatThrownBy(() -> list(parameter.equals("receiver") ? value : null, parameter.equals("status") ? value : null, null,
                parameter.equals("from") ? value : null, parameter.equals("to") ? value : null, parameter.equals("limit") ? value : null))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @Test
    void aTimeRangeThatEndsBeforeItStartsAndOverlongFiltersAre400s() {
        assertThatThrownBy(() -> list(null, null, null, "2000", "1000", null))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.getMessage()).isEqualTo("from must not be after to"));
        assertThatThrownBy(() -> list(null, null, "x".repeat(1025), null, null, null))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.getMessage()).startsWith("label must be at most"));
        assertThatThrownBy(() -> list("x".repeat(1025), null, null, null, null, null))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.getMessage()).startsWith("receiver must be at most"));
    }

    @Test
    void anIdThatIsNoNumberIsA400AndAnUnknownOneA404() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        assertThatThrownBy(() -> api.entry(exchange, "abc"))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> api.entry(exchange, "1".repeat(30)))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> api.entry(exchange, "424242"))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("no history entry 424242");
                });
    }

    private static List<String> receivers(JsonNode answer) {
        return java.util.stream.StreamSupport.stream(answer.path("history").spliterator(), false)
                .map(e -> e.path("receiver").asText()).toList();
    }
}
