package io.alertrelay.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay started without a routes directory runs the routes packed into the jar; a directory that
 * appears later is not loaded beside them (its routes would collide with the running ones) but
 * reported as needing a restart.
 */
class EmbeddedRoutesReloaderTest {

    @TempDir
    Path tmp;

    @Test
    void aRoutesDirectoryCreatedAfterStartUpIsReportedAsNeedingARestart() throws Exception {
        Path routes = tmp.resolve("routes");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            RoutesReloader reloader = new RoutesReloader(camel, routes, Clock.systemUTC(), registry);
            reloader.reloadIfChanged();
            assertThat(reloader.lastStatus().success()).as("nothing to watch yet").isTrue();

            Files.createDirectories(routes);
            Files.writeString(routes.resolve("extra.yaml"), """
                    - route:
                        id: extra
                        from:
                          uri: timer:extra
                          steps:
                            - log: extra
                    """);
            reloader.reloadIfChanged();

            assertThat(reloader.lastStatus().success()).isFalse();
            assertThat(reloader.lastStatus().error()).contains(routes.toString()).contains("restart");
            assertThat(camel.getRoute("extra")).as("not loaded beside the embedded routes").isNull();
            assertThat(registry.get("relay.routes.last.reload.successful").gauge().value()).isZero();
        }
    }
}
