package io.alertrelay.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last groups that reached the router (a step of routes/pipeline.yaml), kept in memory on this
 * replica as the playground's "recent real groups": each written back as the Alertmanager webhook
 * payload it stands for, so that it can be edited and rendered like a sample. Nothing is stored.
 */
public class RecentGroups {

    /** A recent group as the playground offers it: when it came, its key, and its payload. */
    public record Recent(Instant receivedAt, String groupKey, String status, String payload) {
    }

    static final int KEPT = 10;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Alertmanager's "no end" for a firing alert. */
    private static final String NO_END = "0001-01-01T00:00:00Z";

    private final Deque<AlertGroup> recent = new ArrayDeque<>();

    /** Keeps the group (the newest {@value #KEPT}; a group seen again moves to the front). */
    public synchronized void remember(AlertGroup group) {
        recent.removeIf(g -> g.groupKey().equals(group.groupKey()) && g.source().equals(group.source()));
        recent.addFirst(group);
        while (recent.size() > KEPT) {
            recent.removeLast();
        }
    }

    /** Newest first. */
    public synchronized List<Recent> list() {
        return recent.stream().map(g -> new Recent(g.receivedAt(), g.groupKey(), g.status(), payload(g))).toList();
    }

    static String payload(AlertGroup group) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "4");
        body.put("groupKey", group.groupKey());
        body.put("status", group.status());
        body.put("receiver", group.amReceiver() == null ? "relay" : group.amReceiver());
        body.put("groupLabels", group.groupLabels());
        body.put("commonLabels", group.commonLabels());
        body.put("commonAnnotations", group.commonAnnotations());
        body.put("externalURL", group.externalURL() == null ? "" : group.externalURL());
        body.put("alerts", group.alerts().stream().map(RecentGroups::alert).toList());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> alert(Alert alert) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", alert.status());
        a.put("labels", alert.labels());
        a.put("annotations", alert.annotations());
        a.put("startsAt", alert.startsAt() == null ? NO_END : alert.startsAt().toString());
        a.put("endsAt", alert.endsAt() == null ? NO_END : alert.endsAt().toString());
        a.put("generatorURL", alert.generatorURL());
        a.put("fingerprint", alert.fingerprint());
        return a;
    }
}
