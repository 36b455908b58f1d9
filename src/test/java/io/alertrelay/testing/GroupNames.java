package io.alertrelay.testing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which groups a robot's messages represent: every name matching the pattern, in any message (digests list many). */
public final class GroupNames {

    private GroupNames() {
    }

    public static Set<String> in(List<BotRequest> messages, Pattern name) {
        Set<String> names = new HashSet<>();
        for (BotRequest message : messages) {
            Matcher m = name.matcher(message.json().toString());
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
