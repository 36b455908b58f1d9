package io.alertrelay.action;

import io.alertrelay.alert.AlertGroup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The short message that tells a chat what was done from one of its messages ("已由 张三 静默 4 小时"):
 * a group of the acted-on group's labels and no alerts, from the source {@value #SOURCE}, whose
 * facts ride in its annotations so that it is queued, stored and rendered as any group is; the
 * templates' model words it in the receiver's language (template/TemplateModel).
 */
public final class ActionNotice {

    public static final String SOURCE = "relay-action";
    static final String ACTION = "action";
    static final String BY = "by";
    static final String UNTIL = "until";
    static final String COMMENT = "comment";
    static final String ACKED = "ack";
    static final String SILENCED = "silence";

    /** What a notice says, read back from its group. {@code until}: a silence's end, else null. */
    public record Facts(boolean silenced, String by, Instant until, String comment, String subject) {
    }

    private ActionNotice() {
    }

    /** @param until a silence's end; null for an acknowledgement */
    public static AlertGroup of(AlertGroup acted, String receiver, String by, Instant until, String comment, Instant now) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(ACTION, until == null ? ACKED : SILENCED);
        facts.put(BY, by);
        if (until != null) {
            facts.put(UNTIL, until.toString());
        }
        facts.put(COMMENT, comment == null ? "" : comment);
        facts.put("subject", subject(acted));
        return new AlertGroup("notice:" + now.toEpochMilli() + ":" + acted.groupKey(), SOURCE, "", receiver, "",
                acted.groupLabels(), facts, 0, List.of(), now, AlertGroup.SOURCE_DECIDES);
    }

    public static boolean isNotice(AlertGroup group) {
        return SOURCE.equals(group.source());
    }

    public static Facts facts(AlertGroup notice) {
        Map<String, String> a = notice.commonAnnotations();
        String until = a.get(UNTIL);
        return new Facts(SILENCED.equals(a.get(ACTION)), a.getOrDefault(BY, ""), until == null ? null : Instant.parse(until),
                a.getOrDefault(COMMENT, ""), a.getOrDefault("subject", ""));
    }

    /** How the group is named in the notice: its alert name, else its group labels. */
    static String subject(AlertGroup group) {
        Map<String, String> common = group.commonLabels();
        String name = common.getOrDefault("alertname", group.groupLabels().getOrDefault("alertname", ""));
        if (!name.isEmpty()) {
            String instance = common.getOrDefault("instance", "");
            return instance.isEmpty() ? name : name + " " + instance;
        }
        return group.groupLabels().toString();
    }
}
