package io.alertrelay.amapi;

import io.alertrelay.silence.Silence;
import io.alertrelay.silence.SilenceMatcher;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alertmanager's v2 JSON shapes (api/v2/openapi.yaml) of what the relay holds. */
final class AmJson {

    private AmJson() {
    }

    /** RFC 3339 in UTC, as Go's strfmt.DateTime is read back. */
    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** A gettableSilence. */
    static Map<String, Object> silence(Silence s, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("status", Map.of("state", s.state(now).id()));
        out.put("updatedAt", time(s.updatedAt()));
        out.put("matchers", matchers(s.matchers()));
        out.put("startsAt", time(s.startsAt()));
        out.put("endsAt", time(s.endsAt()));
        out.put("createdBy", s.createdBy());
        out.put("comment", s.comment());
        return out;
    }

    static List<Map<String, Object>> matchers(List<SilenceMatcher> matchers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SilenceMatcher m : matchers) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", m.name());
            one.put("value", m.value());
            one.put("isRegex", m.isRegex());
            one.put("isEqual", m.isEqual());
            out.add(one);
        }
        return out;
    }
}
