package io.alertrelay.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.routing.RoutingTable;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateRenderer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example shipped in config/ is a working configuration: it loads, its templates parse, it routes. */
class ExampleConfigTest {

    @Test
    void theShippedExampleLoadsAndRoutesSeed002sProjects() {
        TemplateRenderer templates = new TemplateRenderer(Path.of("templates"));
        RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(
                name -> "PROMETHEUS_URL".equals(name) ? null : "value-of-" + name),
                new RelayConfigValidator(templates::check, io.alertrelay.testing.TestChannels.all().all()));
        RelayConfig config = loader.load(Path.of("config/relay.example.yaml"));

        assertThat(config.receivers()).extracting(ReceiverConfig::name)
                .containsExactly("ops-feishu", "wms", "oms", "ops-wecom", "ops-mail", "log");
        config.receivers().forEach(r -> NotificationRenderer.templatesOf(r, io.alertrelay.testing.TestChannels.all()).forEach(templates::check));
        assertThat(config.receiver("wms").orElseThrow().url().reveal()).endsWith("access_token=value-of-DINGTALK_WMS_TOKEN");

        assertThat(config.probes().get(0).prometheus()).as("an unset placeholder's default").isEqualTo("http://prometheus:9090");
        assertThat(config.heartbeats()).extracting(HeartbeatRule::name).containsExactly("host-*", "nightly-backup");

        RoutingTable table = RoutingTable.of(config);
        assertThat(table.receiversFor(Map.of("project", "wms"))).containsExactly("wms");
        assertThat(table.receiversFor(Map.of("project", "oms", "severity", "critical"))).containsExactly("oms");
        assertThat(table.receiversFor(Map.of("severity", "critical"))).containsExactly("ops-feishu", "ops-wecom", "ops-mail");
        assertThat(table.receiversFor(Map.of("severity", "warning", "team", "dev"))).containsExactly("log");
    }
}
