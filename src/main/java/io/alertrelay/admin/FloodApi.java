package io.alertrelay.admin;

import io.alertrelay.store.Floods;
import io.alertrelay.web.JsonAnswer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * {@code GET /api/v1/floods}: the receivers in the flood gear; {@code GET /api/v1/floods/{receiver}}:
 * its storm and the groups it showed only in a summary, newest first (the "full list" a summary links to).
 */
public class FloodApi {

    private final Floods floods;

    public FloodApi(Floods floods) {
        this.floods = floods;
    }

    public void list(Exchange exchange) {
        List<Map<String, Object>> storms = floods.receivers().stream()
                .flatMap(name -> floods.state(name).stream()).map(FloodApi::view).toList();
        JsonAnswer.send(exchange, 200, Map.of("floods", storms));
    }

    public void receiver(Exchange exchange, @Header("receiver") String receiver) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("receiver", receiver);
        answer.put("flood", floods.state(receiver).map(FloodApi::view).orElse(null));
        answer.put("summarized", floods.summarized(receiver, Floods.FULL_LIST).stream().map(s -> Map.of(
                "groupKey", s.groupKey(), "alertname", s.alertname(), "severity", s.severity(),
                "summarizedAt", Instant.ofEpochMilli(s.summarizedAt()).toString())).toList());
        JsonAnswer.send(exchange, 200, answer);
    }

    private static Map<String, Object> view(Floods.State state) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("receiver", state.receiver());
        view.put("since", Instant.ofEpochMilli(state.startedAt()).toString());
        view.put("groupsSummarized", state.groupsSummarized());
        view.put("resolved", state.resolved());
        view.put("calmSince", state.calmSince() == null ? null : Instant.ofEpochMilli(state.calmSince()).toString());
        return view;
    }
}
