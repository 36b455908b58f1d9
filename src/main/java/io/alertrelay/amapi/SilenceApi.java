package io.alertrelay.amapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.ingest.JsonInput;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.routing.Matcher;
import io.alertrelay.silence.InvalidSilenceException;
import io.alertrelay.silence.Silence;
import io.alertrelay.silence.SilenceMatcher;
import io.alertrelay.silence.SilenceNotFoundException;
import io.alertrelay.silence.Silences;
import io.alertrelay.web.JsonAnswer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Alertmanager's silence endpoints (routes/silences.yaml), for amtool: {@code GET/POST /api/v2/silences},
 * {@code GET/DELETE /api/v2/silence/{id}}. Refusals are the relay's JSON errors (400 naming the problem, 404).
 */
public class SilenceApi {

    private final Silences silences;
    private final Clock clock;

    public SilenceApi(Silences silences, Clock clock) {
        this.silences = silences;
        this.clock = clock;
    }

    /**
     * Every silence kept, in Alertmanager's order; with {@code filter}s only those having, for each, a
     * matcher of the same name, kind and value (Alertmanager's CheckSilenceMatchesFilterLabels).
     */
    public void list(Exchange exchange) {
        List<Matcher> filters = Filters.matchers(exchange);
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Silence silence : silences.list()) {
            if (filters.stream().allMatch(f -> silence.matchers().contains(SilenceMatcher.of(f)))) {
                out.add(AmJson.silence(silence, now));
            }
        }
        JsonAnswer.send(exchange, 200, out);
    }

    public void get(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        Silence silence = silences.get(id).orElseThrow(() -> RequestRejectedException.notFound("silence " + id + " not found"));
        JsonAnswer.send(exchange, 200, AmJson.silence(silence, clock.instant()));
    }

    /** Makes a silence, or with an {@code id} changes one (possibly into a new one): answers {@code {"silenceID": ...}}. */
    public void post(Exchange exchange, byte[] body) {
        JsonNode root = JsonInput.read(body);
        if (!root.isObject()) {
            throw RequestRejectedException.badRequest("expected a JSON object: a silence");
        }
        String id = JsonInput.text(root, "id");
        List<SilenceMatcher> matchers = matchers(root.get("matchers"));
        Instant startsAt = JsonInput.time(root, "startsAt", "silence");
        Instant endsAt = JsonInput.time(root, "endsAt", "silence");
        String createdBy = JsonInput.text(root, "createdBy");
        String comment = JsonInput.text(root, "comment");
        try {
            String saved = id.isEmpty() ? silences.create(matchers, startsAt, endsAt, createdBy, comment)
                    : silences.update(id, matchers, startsAt, endsAt, createdBy, comment);
            JsonAnswer.send(exchange, 200, Map.of("silenceID", saved));
        } catch (InvalidSilenceException e) {
            throw RequestRejectedException.badRequest(e.getMessage());
        } catch (SilenceNotFoundException e) {
            throw RequestRejectedException.notFound(e.getMessage());
        }
    }

    /** Expires the silence now (200 also when it was expired already, as Alertmanager). */
    public void delete(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        try {
            silences.expire(id);
        } catch (SilenceNotFoundException e) {
            throw RequestRejectedException.notFound(e.getMessage());
        }
        JsonAnswer.send(exchange, 200, Map.of("status", "success"));
    }

    private static List<SilenceMatcher> matchers(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw RequestRejectedException.badRequest("matchers: must be an array");
        }
        if (node.size() > Silence.MAX_MATCHERS) {
            throw RequestRejectedException.badRequest("invalid silence: more than " + Silence.MAX_MATCHERS + " matchers");
        }
        List<SilenceMatcher> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            if (!m.isObject() || !m.hasNonNull("name") || !m.hasNonNull("value") || !m.get("name").isTextual()
                    || !m.get("value").isTextual()) {
                throw RequestRejectedException.badRequest("matchers[" + i + "]: needs a name and a value, both strings");
            }
            out.add(new SilenceMatcher(m.get("name").asText(), m.get("value").asText(), bool(m, "isRegex", false, i),
                    bool(m, "isEqual", true, i)));
        }
        return out;
    }

    private static boolean bool(JsonNode matcher, String field, boolean fallback, int i) {
        JsonNode value = matcher.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw RequestRejectedException.badRequest("matchers[" + i + "]." + field + ": must be true or false");
        }
        return value.asBoolean();
    }
}
