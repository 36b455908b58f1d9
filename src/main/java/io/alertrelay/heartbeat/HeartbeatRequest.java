package io.alertrelay.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.ingest.JsonInput;
import io.alertrelay.ingest.RequestRejectedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * {@code GET|POST /api/v1/heartbeats/{name}}: labels may come as query parameters
 * ({@code ?instance=db1}) or as a JSON body {@code {"labels": {...}}}, so a cron line with curl is enough.
 */
public record HeartbeatRequest(String name, Map<String, String> labels) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

    public static HeartbeatRequest parse(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (name == null || !NAME.matcher(name).matches()) {
            throw RequestRejectedException.badRequest("heartbeat name: 1 to 200 letters, digits, '.', '_' or '-'");
        }
        Map<String, String> labels = new LinkedHashMap<>(query(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class)));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > 0) {
            JsonNode root = JsonInput.read(body);
            if (!root.isObject()) {
                throw RequestRejectedException.badRequest("expected a JSON object {\"labels\": {...}} or no body");
            }
            labels.putAll(JsonInput.strings(root.get("labels"), "labels"));
        }
        for (String label : labels.keySet()) {
            if (!LabelSet.isName(label)) {
                throw RequestRejectedException.badRequest("labels: '" + label + "' is not a label name");
            }
        }
        return new HeartbeatRequest(name, Map.copyOf(labels));
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }
}
