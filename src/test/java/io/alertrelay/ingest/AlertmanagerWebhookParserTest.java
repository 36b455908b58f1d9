package io.alertrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RoutingConfig;
import io.alertrelay.routing.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertmanagerWebhookParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2022-07-05T06:00:00Z");
    private static final Path SEED = Path.of("src/test/resources/payloads/seed-001-firing.json");

    private final AlertmanagerWebhookParser parser = new AlertmanagerWebhookParser(
            new Router(RelayConfig.embeddedDefault()), Clock.fixed(NOW, ZoneOffset.UTC));

    private static byte[] seed() throws Exception {
        return Files.readAllBytes(SEED);
    }

    private static byte[] edited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(seed());
        edit.accept(root);
        return JSON.writeValueAsBytes(root);
    }

    private static ObjectNode firstAlert(ObjectNode root) {
        return (ObjectNode) root.get("alerts").get(0);
    }

    private RequestRejectedException rejected(byte[] body, String receiver) {
        RequestRejectedException e = catchThrowableOfType(RequestRejectedException.class, () -> parser.parse(body, receiver));
        assertThat(e).as("must be rejected").isNotNull();
        return e;
    }

    @Test
    void parsesTheSeedPayload() throws Exception {
        AlertGroup group = parser.parse(seed(), null);

        assertThat(group.alerts()).hasSize(1);
        Alert alert = group.alerts().get(0);
        assertThat(alert.status()).isEqualTo("firing");
        assertThat(alert.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alertname", "主机存活状态警告！",
                "cloud", "乘风-Dev环境",
                "instance", "192.168.82.105:9100",
                "job", "node_exporter",
                "severity", "非常严重",
                "team", "ops"));
        assertThat(alert.annotation("summary")).isEqualTo("192.168.82.105:9100:服务器宕机");
        assertThat(alert.annotation("description")).isEqualTo("192.168.82.105:9100:服务器延时超过5分钟");
        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2022-07-05T05:54:37.452Z"));
        assertThat(alert.endsAt()).as("zero time means no end").isNull();
        assertThat(alert.generatorURL())
                .isEqualTo("http://prometheus-server.0101101300.fjf:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
        assertThat(alert.fingerprint()).matches("[0-9a-f]{16}");

        assertThat(group.groupKey()).isEqualTo("{}:{instance=\"192.168.82.105:9100\"}");
        assertThat(group.groupLabels()).isEqualTo(Map.of("instance", "192.168.82.105:9100"));
        assertThat(group.commonAnnotations()).containsEntry("summary", "192.168.82.105:9100:服务器宕机");
        assertThat(group.externalURL()).isEqualTo("http://prometheus-server.0101101300.fjf:9093");
        assertThat(group.amReceiver()).isEqualTo("web\\.hook\\.prometheusalert");
        assertThat(group.targetReceiver()).isNull();
        assertThat(group.source()).isEqualTo("alertmanager");
        assertThat(group.truncatedAlerts()).isZero();
        assertThat(group.receivedAt()).isEqualTo(NOW);
        assertThat(group.isFiring()).isTrue();
    }

    @Test
    void parsesTheResolvedSeed() throws Exception {
        AlertGroup group = parser.parse(Files.readAllBytes(Path.of("src/test/resources/payloads/seed-001-resolved.json")), null);
        assertThat(group.isFiring()).isFalse();
        assertThat(group.alerts()).allSatisfy(a -> assertThat(a.endsAt()).isNotNull());
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        byte[] body = edited(root -> {
            root.put("notification_reason", "new_alerts");
            root.putObject("routeLabels").put("team", "ops");
            root.put("someFutureField", 42);
            firstAlert(root).put("futureAlertField", "x");
            firstAlert(root).putArray("anotherOne").add(1);
        });
        AlertGroup group = parser.parse(body, null);
        assertThat(group.alerts()).hasSize(1);
        assertThat(group.alerts().get(0).label("alertname")).isEqualTo("主机存活状态警告！");
    }

    @Test
    void targetReceiverKnownToTheRouterIsKept() throws Exception {
        assertThat(parser.parse(seed(), "log").targetReceiver()).isEqualTo("log");
    }

    @Test
    void unknownReceiverIs404() throws Exception {
        RequestRejectedException e = rejected(seed(), "nope");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).contains("nope");
    }

    @Test
    void receiverIsLookedUpInTheRoutersConfiguration() throws Exception {
        Router router = new Router(new RelayConfig(List.of(ReceiverConfig.log("ops")), new RoutingConfig("ops", List.of())));
        AlertmanagerWebhookParser p = new AlertmanagerWebhookParser(router, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(p.parse(seed(), "ops").targetReceiver()).isEqualTo("ops");
        RequestRejectedException e = catchThrowableOfType(RequestRejectedException.class, () -> p.parse(seed(), "log"));
        assertThat(e.status()).isEqualTo(404);
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                Arguments.of("missing alerts", (Consumer<ObjectNode>) r -> r.remove("alerts"), "alerts"),
                Arguments.of("alerts not an array", (Consumer<ObjectNode>) r -> r.put("alerts", "x"), "alerts"),
                Arguments.of("empty alerts", (Consumer<ObjectNode>) r -> r.putArray("alerts"), "alerts"),
                Arguments.of("alert not an object", (Consumer<ObjectNode>) r -> ((ArrayNode) r.get("alerts")).insert(0, "x"),
                        "alerts[0]"),
                Arguments.of("labels missing", (Consumer<ObjectNode>) r -> firstAlert(r).remove("labels"), "alerts[0].labels"),
                Arguments.of("labels empty", (Consumer<ObjectNode>) r -> firstAlert(r).putObject("labels"), "alerts[0].labels"),
                Arguments.of("labels not an object", (Consumer<ObjectNode>) r -> firstAlert(r).put("labels", "x"),
                        "alerts[0].labels"),
                Arguments.of("label value an object", (Consumer<ObjectNode>) r -> ((ObjectNode) firstAlert(r).get("labels"))
                        .putObject("team"), "alerts[0].labels.team"),
                Arguments.of("bad startsAt", (Consumer<ObjectNode>) r -> firstAlert(r).put("startsAt", "yesterday"),
                        "alerts[0].startsAt"),
                Arguments.of("missing startsAt", (Consumer<ObjectNode>) r -> firstAlert(r).remove("startsAt"),
                        "alerts[0].startsAt"),
                Arguments.of("bad endsAt", (Consumer<ObjectNode>) r -> firstAlert(r).put("endsAt", "2022-13-45"),
                        "alerts[0].endsAt"),
                Arguments.of("bad status", (Consumer<ObjectNode>) r -> firstAlert(r).put("status", "burning"),
                        "alerts[0].status"),
                Arguments.of("second alert bad", (Consumer<ObjectNode>) r -> {
                    ObjectNode second = firstAlert(r).deepCopy();
                    second.put("startsAt", "nope");
                    ((ArrayNode) r.get("alerts")).add(second);
                }, "alerts[1].startsAt"),
                Arguments.of("groupLabels not an object", (Consumer<ObjectNode>) r -> r.putArray("groupLabels"), "groupLabels"),
                Arguments.of("annotations not an object", (Consumer<ObjectNode>) r -> firstAlert(r).put("annotations", 3),
                        "alerts[0].annotations"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("badPayloads")
    void rejectsNamingTheField(String description, Consumer<ObjectNode> edit, String field) throws Exception {
        RequestRejectedException e = rejected(edited(edit), null);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith(field + ":").as(description);
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() {
        // line 3: four spaces, {"status": "firing", then the stray comma at column 25
        byte[] body = "{\n  \"alerts\": [\n    {\"status\": \"firing\",,}\n  ]\n}".getBytes(StandardCharsets.UTF_8);
        RequestRejectedException e = rejected(body, null);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("malformed JSON").contains("line 3").contains("column 25");
    }

    @Test
    void emptyBodyAndNonObjectsAre400() {
        assertThat(rejected(new byte[0], null).status()).isEqualTo(400);
        assertThat(rejected(null, null).status()).isEqualTo(400);
        assertThat(rejected("[]".getBytes(StandardCharsets.UTF_8), null).getMessage()).contains("JSON object");
        assertThat(rejected("\"x\"".getBytes(StandardCharsets.UTF_8), null).status()).isEqualTo(400);
    }

    @Test
    void timesWithOffsetsAndNanosParse() throws Exception {
        AlertGroup group = parser.parse(edited(r -> {
            firstAlert(r).put("startsAt", "2022-07-05T13:54:37.123456789+08:00");
            firstAlert(r).put("status", "resolved");
            firstAlert(r).put("endsAt", "2022-07-05T06:00:00Z");
        }), null);
        Alert alert = group.alerts().get(0);
        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2022-07-05T05:54:37.123456789Z"));
        assertThat(alert.endsAt()).isEqualTo(Instant.parse("2022-07-05T06:00:00Z"));
        assertThat(alert.isFiring()).isFalse();
    }

    @Test
    void missingGroupKeyFallsBackToTheGroupLabels() throws Exception {
        AlertGroup group = parser.parse(edited(r -> r.remove("groupKey")), null);
        assertThat(group.groupKey()).isNotBlank().contains("192.168.82.105:9100");
        AlertGroup same = parser.parse(edited(r -> r.remove("groupKey")), null);
        assertThat(same.groupKey()).isEqualTo(group.groupKey());
    }

    @Test
    void truncatedAlertsAreKept() throws Exception {
        assertThat(parser.parse(edited(r -> r.put("truncatedAlerts", 7)), null).truncatedAlerts()).isEqualTo(7);
    }

    @Test
    void fingerprintIsComputedFromLabelsSoCopiesFromBothHaPeersMatch() throws Exception {
        Alert a = parser.parse(seed(), null).alerts().get(0);
        Alert b = parser.parse(edited(r -> firstAlert(r).put("fingerprint", "0000000000000000")), null).alerts().get(0);
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    }
}
