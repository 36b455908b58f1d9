package io.alertrelay.amapi;

import io.alertrelay.web.JsonAnswer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Alertmanager's {@code GET /api/v2/status}, which amtool reads ({@code amtool config show}, its
 * version check): the relay is one ready peer; {@code config.original} stays empty, as the relay's
 * configuration holds secrets (its own status is {@code GET /api/v1/status}, behind the admin token).
 */
public class AmStatusApi {

    private final String member;
    private final Instant started;

    public AmStatusApi(String member, Instant started) {
        this.member = member;
        this.started = started;
    }

    public void status(Exchange exchange) {
        String version = AmStatusApi.class.getPackage().getImplementationVersion();
        Map<String, Object> versionInfo = new LinkedHashMap<>();
        versionInfo.put("version", version == null ? "dev" : version);
        versionInfo.put("revision", "");
        versionInfo.put("branch", "");
        versionInfo.put("buildUser", "");
        versionInfo.put("buildDate", "");
        versionInfo.put("goVersion", "java" + Runtime.version().feature());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", Map.of("status", "ready", "name", member, "peers", List.of()));
        out.put("versionInfo", versionInfo);
        out.put("config", Map.of("original", ""));
        out.put("uptime", AmJson.time(started));
        JsonAnswer.send(exchange, 200, out);
    }
}
