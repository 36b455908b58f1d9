package io.alertrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.routing.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The outside test's oversized webhooks (issue 9): every value, key and group comes out bounded, with
 * a visible marker, the identity kept, and nothing the store cannot hold; counts a sender must fix are
 * a 400 naming the field. The default limits (relay.limits.*) apply.
 */
class AlertmanagerWebhookParserBoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2022-07-05T06:00:00Z");
    private static final Path SEED = Path.of("src/test/resources/payloads/seed-001-firing.json");

    private final AlertmanagerWebhookParser parser = new AlertmanagerWebhookParser(
            new Router(RelayConfig.embeddedDefault()), Clock.fixed(NOW, ZoneOffset.UTC));

    private static byte[] edited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(SEED));
        edit.accept(root);
        return JSON.writeValueAsBytes(root);
    }

    private static ObjectNode firstAlert(ObjectNode root) {
        return (ObjectNode) root.get("alerts").get(0);
    }

    @Test
    void aMillionCharacterDescriptionIsCutWithAMarker() throws Exception {
        AlertGroup group = parser.parse(edited(r -> ((ObjectNode) firstAlert(r).get("annotations"))
                .put("description", "x".repeat(1_000_000))), null);
        String description = group.alerts().get(0).annotation("description");
        assertThat(description).hasSizeLessThanOrEqualTo(4096).startsWith("xxxx")
                .endsWith("…(truncated, 1,000,000 chars)");
    }

    @Test
    void aLongLabelValueIsCutButTheFingerprintIsTheFullLabelSets() throws Exception {
        AlertGroup a = parser.parse(edited(r -> ((ObjectNode) firstAlert(r).get("labels")).put("instance", "a".repeat(5000) + "1")), null);
        AlertGroup b = parser.parse(edited(r -> ((ObjectNode) firstAlert(r).get("labels")).put("instance", "a".repeat(5000) + "2")), null);
        assertThat(a.alerts().get(0).label("instance")).hasSizeLessThanOrEqualTo(1024).endsWith("…(truncated, 5,001 chars)");
        assertThat(a.alerts().get(0).label("instance")).isEqualTo(b.alerts().get(0).label("instance"));
        assertThat(a.alerts().get(0).fingerprint()).as("two alerts stay two").isNotEqualTo(b.alerts().get(0).fingerprint());
    }

    @Test
    void a200000CharacterGroupKeyBecomesABoundedKeyWithTheSameIdentity() throws Exception {
        String longKey = "{}:{alertname=\"" + "k".repeat(200_000) + "\"}";
        AlertGroup a = parser.parse(edited(r -> r.put("groupKey", longKey)), null);
        AlertGroup again = parser.parse(edited(r -> r.put("groupKey", longKey)), null);
        AlertGroup other = parser.parse(edited(r -> r.put("groupKey", longKey + "x")), null);
        assertThat(a.groupKey()).hasSizeLessThanOrEqualTo(512).startsWith("{}:{alertname=\"kkk").contains("sha256:");
        assertThat(a.aggregationKey()).hasSizeLessThanOrEqualTo(2048);                 // relay_inbox.aggregation_key
        assertThat(again.groupKey()).as("the same key, the same group").isEqualTo(a.groupKey());
        assertThat(other.groupKey()).as("another key, another group").isNotEqualTo(a.groupKey());
        assertThat(parser.parse(edited(r -> { }), null).groupKey()).as("a usual key is kept as it is")
                .isEqualTo(JSON.readTree(Files.readAllBytes(SEED)).get("groupKey").asText());
    }

    @Test
    void anEndsAtBeyondWhatTheStoreHoldsIsClamped() throws Exception {
        AlertGroup group = parser.parse(edited(r -> firstAlert(r).put("endsAt", "+999999999-12-31T23:59:59Z")), null);
        Alert alert = group.alerts().get(0);
        assertThat(alert.endsAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        assertThat(alert.endsAt().toEpochMilli()).as("fits a BIGINT of milliseconds").isPositive();
        AlertGroup early = parser.parse(edited(r -> firstAlert(r).put("startsAt", "-999999999-01-01T00:00:00Z")), null);
        assertThat(early.alerts().get(0).startsAt().toEpochMilli()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void overLongUrlsAreDroppedNotCut() throws Exception {
        String huge = "http://prometheus.example/graph?g0.expr=" + "u".repeat(100_000);
        AlertGroup group = parser.parseGrafana(edited(r -> {
            r.put("externalURL", huge);
            firstAlert(r).put("generatorURL", huge);
            firstAlert(r).put("dashboardURL", huge);
            firstAlert(r).put("panelURL", "http://grafana.example/d/1?viewPanel=2");
        }));
        assertThat(group.externalURL()).isEmpty();
        assertThat(group.alerts().get(0).generatorURL()).isEmpty();
        assertThat(group.alerts().get(0).link("dashboard")).isEmpty();
        assertThat(group.alerts().get(0).link("panel")).isEqualTo("http://grafana.example/d/1?viewPanel=2");
    }

    @Test
    void alertsPastTheGroupBoundsAreCountedAsTruncatedFiringFirst() throws Exception {
        AlertGroup group = parser.parse(edited(r -> {
            ArrayNode alerts = (ArrayNode) r.get("alerts");
            ObjectNode template = firstAlert(r).deepCopy();
            alerts.removeAll();
            for (int i = 0; i < 1500; i++) {
                ObjectNode alert = template.deepCopy();
                ((ObjectNode) alert.get("labels")).put("instance", "host-" + i);
                alert.put("status", i == 1499 ? "firing" : "resolved");
                alert.put("endsAt", i == 1499 ? "0001-01-01T00:00:00Z" : "2022-07-05T05:59:00Z");
                alerts.add(alert);
            }
            r.put("truncatedAlerts", 7);
        }), null);
        assertThat(group.alerts().size()).as("alerts kept").isBetween(1, 1000);
        assertThat(group.alerts().size() + group.truncatedAlerts()).as("every alert kept or counted, with Alertmanager's 7")
                .isEqualTo(1507);
        assertThat(group.truncatedAlerts()).isGreaterThanOrEqualTo(507);
        assertThat(group.alerts().get(0).label("instance")).as("the firing alert is kept").isEqualTo("host-1499");
    }

    @Test
    void aGroupOfLargeAlertsIsBoundedInCharactersToo() throws Exception {
        AlertGroup group = parser.parse(edited(r -> {
            ArrayNode alerts = (ArrayNode) r.get("alerts");
            ObjectNode template = firstAlert(r).deepCopy();
            alerts.removeAll();
            for (int i = 0; i < 100; i++) {
                ObjectNode alert = template.deepCopy();
                ((ObjectNode) alert.get("labels")).put("instance", "host-" + i);
                ((ObjectNode) alert.get("annotations")).put("description", "d".repeat(8000));
                alerts.add(alert);
            }
        }), null);
        long chars = group.alerts().stream().mapToLong(a -> a.annotation("description").length()).sum();
        assertThat(chars).isLessThanOrEqualTo(65_536);
        assertThat(group.alerts().size() + group.truncatedAlerts()).isEqualTo(100);
        assertThat(group.truncatedAlerts()).isPositive();
    }

    @Test
    void tooManyLabelsIsA400NamingTheField() throws Exception {
        RequestRejectedException e = catchThrowableOfType(RequestRejectedException.class, () -> parser.parse(edited(r -> {
            ObjectNode labels = (ObjectNode) firstAlert(r).get("labels");
            for (int i = 0; i < 100; i++) {
                labels.put("l" + i, "v");
            }
        }), null));
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("alerts[0].labels").contains("relay.limits.max-labels-per-alert");
    }

    @Test
    void anUnknownReceiverOf200000CharactersIsNotEchoedWhole() throws Exception {
        String receiver = "r".repeat(200_000);
        RequestRejectedException e = catchThrowableOfType(RequestRejectedException.class,
                () -> parser.parse(edited(r -> { }), receiver));
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).hasSizeLessThan(400).contains("unknown receiver").contains("200000 characters");
    }
}
