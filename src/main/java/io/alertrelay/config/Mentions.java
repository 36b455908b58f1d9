package io.alertrelay.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Who a chat message @-mentions: phone numbers (DingTalk, WeCom), platform user ids (DingTalk
 * userId, WeCom userid, Feishu open_id), or everybody. These are the only mentions a message makes:
 * alert values are escaped. An id goes into the platforms' mention syntax ({@code <at id=...>},
 * {@code <@...>}, {@code @...}) as it is, so it may hold only what the platforms' ids hold.
 */
public record Mentions(List<String> mobiles, List<String> userIds, boolean all) {

    public static final Mentions NONE = new Mentions(List.of(), List.of(), false);

    /** WeCom's rule for a userid (letters, digits, {@code _ - @ .}), which Feishu's and DingTalk's ids also follow. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9][0-9-]{2,19}");

    public Mentions {
        mobiles = mobiles == null ? List.of() : List.copyOf(mobiles);
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
        for (String mobile : mobiles) {
            if (!MOBILE.matcher(mobile).matches()) {
                throw new IllegalArgumentException("mentions.mobiles: '" + mobile + "' is not a phone number (digits, - and a leading +)");
            }
        }
        for (String id : userIds) {
            if (!USER_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("mentions.user_ids: '" + id
                        + "' may hold only letters, digits and _ . @ - (starting with a letter or digit, at most 64)");
            }
        }
    }

    public boolean isEmpty() {
        return mobiles.isEmpty() && userIds.isEmpty() && !all;
    }
}
