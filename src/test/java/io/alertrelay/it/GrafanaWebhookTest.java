package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Grafana unified alerting's webhook: routed like any group, the messages link Grafana's dashboard, panel and silence pages. */
class GrafanaWebhookTest extends RelayIntegrationTest {

    @Test
    void aGrafanaAlertReachesTheRobotsWithItsDashboardAndPanelLinks() throws Exception {
        assertThat(post("/webhook/grafana", payload("grafana-firing.json")).statusCode()).isEqualTo(200);

        JsonNode card = FEISHU.awaitAccepted(1, Duration.ofSeconds(10)).get(0).json();
        String buttons = card.at("/card/elements").toString();
        assertThat(buttons).contains("http://grafana:3000/d/node-exporter?orgId=1")
                .contains("viewPanel=7")
                .contains("http://grafana:3000/alerting/silence/new")   // Grafana's own silence page
                .contains("查看仪表盘").contains("查看面板");
        assertThat(card.toString()).contains("HighCPU").contains("CPU 使用率 95%").contains("2026-11-21 13:00:00");

        JsonNode wecom = WECOM.awaitAccepted(1, Duration.ofSeconds(10)).get(0).json();
        assertThat(wecom.at("/markdown/content").asText()).contains("[查看仪表盘](http://grafana:3000/d/node-exporter?orgId=1)");
    }

    @Test
    void aMalformedGrafanaPayloadIsRejectedNamingTheField() throws Exception {
        var response = post("/webhook/grafana", payload("grafana-firing.json").replace("\"labels\"", "\"labelz\""));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("alerts[0].labels");
    }
}
