package io.alertrelay.admin;

import io.alertrelay.store.DeadLetters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.alertrelay.web.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** {@code GET /api/v1/dead-letters} and {@code POST /api/v1/dead-letters/{id}/replay}. */
public class DeadLetterApi {

    private final DeadLetters deadLetters;

    public DeadLetterApi(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    public void list(Exchange exchange, @Header("limit") Integer limit) {
        List<Map<String, Object>> items = deadLetters.list(limit == null ? 100 : Math.min(limit, 1000)).stream()
                .map(DeadLetterApi::view).toList();
        JsonAnswer.send(exchange, 200, Map.of("deadLetters", items, "total", deadLetters.count()));
    }

    public void replay(Exchange exchange, @Header("id") String id) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            JsonAnswer.send(exchange, 400, Map.of("status", "error", "error", "dead letter id must be a number"));
            return;
        }
        if (deadLetters.replay(number).isEmpty()) {
            JsonAnswer.send(exchange, 404, Map.of("status", "error", "error", "no dead letter " + number));
            return;
        }
        JsonAnswer.send(exchange, 202, Map.of("status", "queued", "id", number));
    }

    private static Map<String, Object> view(DeadLetters.DeadLetter d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.id());
        view.put("receiver", d.receiver());
        view.put("groupKey", d.groupKey());
        view.put("reason", d.reason());
        view.put("detail", d.detail());
        view.put("attempts", d.attempts());
        view.put("createdAt", Instant.ofEpochMilli(d.createdAt()).toString());
        view.put("failedAt", Instant.ofEpochMilli(d.failedAt()).toString());
        view.put("rendered", d.rendered());
        return view;
    }

}
