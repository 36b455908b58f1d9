package io.alertrelay.notify.lark;

import io.alertrelay.config.ReceiverType;
import io.alertrelay.notify.feishu.FeishuChannel;
import java.time.Clock;

/**
 * Lark, Feishu's international edition: the same custom-bot API on {@code open.larksuite.com}
 * (body, signing, answers and limits alike), so it is Feishu's channel under its own type; its
 * messages use Feishu's templates. A receiver of this type says which platform it is in the
 * status and the metrics, and its failures name Lark.
 */
public class LarkChannel extends FeishuChannel {

    public static final ReceiverType TYPE = new ReceiverType("lark");

    public LarkChannel(Clock clock) {
        super(clock, TYPE, "Lark");
    }
}
