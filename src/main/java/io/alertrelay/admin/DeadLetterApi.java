package io.alertrelay.admin;

import io.alertrelay.store.DeadLetters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import io.alertrelay.web.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** {@code GET /api/v1/dead-letters} and {@code POST /api/v1/dead-letters/{id}/replay}. */
public class DeadLetterApi {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final DeadLetters deadLetters;

    public DeadLetterApi(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Taken as text: a query parameter is the client's to get wrong, which is a 400, not a failed conversion. */
    public void list(Exchange exchange, @Header("limit") String limit) {
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            if (!WHOLE_NUMBER.matcher(limit).matches() || Integer.parseInt(limit) < 1
                    || Integer.parseInt(limit) > MAX_LIMIT) {
                JsonAnswer.error(exchange, 400, "limit must be a whole number from 1 to " + MAX_LIMIT);
                return;
            }
            n = Integer.parseInt(limit);
        }
        List<Map<String, Object>> items = deadLetters.list(n).stream().map(DeadLetterApi::view).toList();
        JsonAnswer.send(exchange, 200, Map.of("deadLetters", items, "total", deadLetters.count()));
    }

    public void replay(Exchange exchange, @Header("id") String id) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            JsonAnswer.error(exchange, 400, "dead letter id must be a number");
            return;
        }
        if (deadLetters.replay(number).isEmpty()) {
            JsonAnswer.error(exchange, 404, "no dead letter " + number);
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
