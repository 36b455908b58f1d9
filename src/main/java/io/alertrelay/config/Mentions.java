package io.alertrelay.config;

import java.util.List;

/**
 * Who a chat message @-mentions: phone numbers (DingTalk, WeCom), platform user ids (DingTalk
 * userId, WeCom userid, Feishu open_id), or everybody.
 */
public record Mentions(List<String> mobiles, List<String> userIds, boolean all) {

    public static final Mentions NONE = new Mentions(List.of(), List.of(), false);

    public Mentions {
        mobiles = mobiles == null ? List.of() : List.copyOf(mobiles);
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
    }

    public boolean isEmpty() {
        return mobiles.isEmpty() && userIds.isEmpty() && !all;
    }
}
