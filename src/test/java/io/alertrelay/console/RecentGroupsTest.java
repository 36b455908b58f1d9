package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The playground's recent groups: the newest few, once each, written back as Alertmanager payloads. */
class RecentGroupsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
    private final RecentGroups recent = new RecentGroups();

    @Test
    void keepsTheNewestFewOnceEach() {
        for (int i = 0; i < RecentGroups.KEPT + 3; i++) {
            recent.remember(group("G" + i, Alert.FIRING));
        }
        recent.remember(group("G5", Alert.RESOLVED));
        List<RecentGroups.Recent> list = recent.list();
        assertThat(list).hasSize(RecentGroups.KEPT);
        assertThat(list.get(0).groupKey()).isEqualTo("{}:{alertname=\"G5\"}");
        assertThat(list.get(0).status()).isEqualTo("resolved");
        assertThat(list).extracting(RecentGroups.Recent::groupKey).doesNotHaveDuplicates()
                .doesNotContain("{}:{alertname=\"G0\"}", "{}:{alertname=\"G1\"}");
    }

    @Test
    void aGroupIsWrittenBackAsTheWebhookPayloadItStandsFor() throws Exception {
        recent.remember(group("DiskFull", Alert.RESOLVED));
        JsonNode payload = new ObjectMapper().readTree(recent.list().get(0).payload());
        assertThat(payload.get("version").asText()).isEqualTo("4");
        assertThat(payload.get("status").asText()).isEqualTo("resolved");
        assertThat(payload.get("groupKey").asText()).isEqualTo("{}:{alertname=\"DiskFull\"}");
        JsonNode alert = payload.get("alerts").get(0);
        assertThat(alert.get("labels").get("instance").asText()).isEqualTo("db-1:9100");
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("<b>\"quoted\"</b>");
        assertThat(alert.get("startsAt").asText()).isEqualTo("2026-11-28T06:00:00Z");
        assertThat(alert.get("endsAt").asText()).isEqualTo("2026-11-28T06:05:00Z");
    }

    private static AlertGroup group(String name, String status) {
        Alert alert = new Alert(status, Map.of("alertname", name, "instance", "db-1:9100"), Map.of("summary", "<b>\"quoted\"</b>"),
                T0, status.equals(Alert.RESOLVED) ? T0.plusSeconds(300) : null, "http://prometheus/graph", null);
        return new AlertGroup("{}:{alertname=\"" + name + "\"}", "alertmanager", "relay", null, "http://am:9093",
                Map.of("alertname", name), Map.of(), 0, List.of(alert), T0);
    }
}
