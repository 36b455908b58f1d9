package io.alertrelay.admin;

import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.store.History;
import io.alertrelay.store.History.HistoryEntry;
import io.alertrelay.store.History.HistoryQuery;
import io.alertrelay.web.JsonAnswer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * {@code GET /api/v1/history?receiver=&status=&label=&from=&to=&limit=}: the delivery history, newest
 * first, without the messages' bodies; {@code GET /api/v1/history/{id}}: one message with its body.
 * Parameters are taken as text: they are the client's to get wrong, which is a 400 naming the
 * parameter, not a failed conversion.
 */
public class HistoryApi {

    private static final int DEFAULT_LIMIT = 100;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("[0-9]{1,15}");
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");

    private final History history;

    public HistoryApi(History history) {
        this.history = history;
    }

    public void list(Exchange exchange, @Header("receiver") String receiver, @Header("status") String status,
                     @Header("label") String label, @Header("from") String from, @Header("to") String to,
                     @Header("limit") String limit) {
        HistoryQuery query = new HistoryQuery(bounded("receiver", receiver), status(status), bounded("label", label),
                time("from", from), time("to", to), limit(limit));
        if (query.from() != null && query.to() != null && query.from() > query.to()) {
            throw RequestRejectedException.badRequest("from must not be after to");
        }
        List<Map<String, Object>> items = history.search(query).stream().map(HistoryApi::view).toList();
        JsonAnswer.send(exchange, 200, Map.of("history", items, "total", history.count()));
    }

    public void entry(Exchange exchange, @Header("id") String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw RequestRejectedException.badRequest("history id must be a whole number");
        }
        HistoryEntry entry = history.get(Long.parseLong(id))
                .orElseThrow(() -> RequestRejectedException.notFound("no history entry " + id));
        Map<String, Object> view = view(entry);
        view.put("body", entry.body());
        JsonAnswer.send(exchange, 200, view);
    }

    private static int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (!WHOLE_NUMBER.matcher(limit).matches() || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > History.MAX_LIMIT) {
            throw RequestRejectedException.badRequest("limit must be a whole number from 1 to " + History.MAX_LIMIT);
        }
        return Integer.parseInt(limit);
    }

    private static String status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        if (!History.isStatus(status)) {
            throw RequestRejectedException.badRequest("status must be " + History.DELIVERED + " or " + History.FAILED);
        }
        return status;
    }

    private static String bounded(String name, String value) {
        if (value != null && value.length() > History.MAX_FILTER) {
            throw RequestRejectedException.badRequest(name + " must be at most " + History.MAX_FILTER + " characters");
        }
        return value;
    }

    /** Epoch milliseconds or an RFC 3339 time; null when absent. */
    static Long time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (EPOCH_MILLIS.matcher(value).matches()) {
            return Long.parseLong(value);
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw RequestRejectedException.badRequest(name + " must be epoch milliseconds or an RFC 3339 time "
                    + "(2026-12-01T06:00:00Z): '" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        }
    }

    private static Map<String, Object> view(HistoryEntry e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", e.id());
        view.put("sentAt", Instant.ofEpochMilli(e.sentAt()).toString());
        view.put("receiver", e.receiver());
        view.put("receiverType", e.receiverType());
        view.put("status", e.status());
        view.put("reason", e.reason());
        view.put("detail", e.detail());
        view.put("firing", e.firing());
        view.put("groupCount", e.groupCount());
        view.put("groupKeys", e.groupKeys());
        view.put("labels", e.labels());
        view.put("format", e.format());
        view.put("subject", e.subject());
        return view;
    }
}
