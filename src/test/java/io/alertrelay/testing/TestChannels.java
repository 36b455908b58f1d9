package io.alertrelay.testing;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.template.Escaping;
import io.alertrelay.notify.dingtalk.DingTalkChannel;
import io.alertrelay.notify.discord.DiscordChannel;
import io.alertrelay.notify.email.EmailChannel;
import io.alertrelay.notify.feishu.FeishuChannel;
import io.alertrelay.notify.lark.LarkChannel;
import io.alertrelay.notify.log.LogChannel;
import io.alertrelay.notify.slack.SlackChannel;
import io.alertrelay.notify.teams.TeamsChannel;
import io.alertrelay.notify.telegram.TelegramChannel;
import io.alertrelay.notify.wecom.WeComChannel;
import io.alertrelay.notify.webhook.WebhookChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.support.DefaultRegistry;

/** Every channel the relay has, as its beans make them, for tests that build the relay's parts by hand. */
public final class TestChannels {

    private TestChannels() {
    }

    public static Channels all() {
        return all(Clock.systemUTC());
    }

    /** The type of every channel. */
    public static List<ReceiverType> types() {
        return all().all().stream().map(io.alertrelay.notify.Channel::type).toList();
    }

    /** The escaping a channel picks for this format (all the shipped channels' are {@link Escaping}s). */
    public static Escaping markup(ReceiverType type, String format) {
        return (Escaping) all().of(type).markup(format);
    }

    public static SizeLimit sizeLimit(ReceiverConfig receiver) {
        return all().sizeLimit(receiver);
    }

    public static String defaultFormat(ReceiverType type) {
        return all().of(type).defaultFormat();
    }

    public static Channels all(Clock clock) {
        return new Channels(List.of(
                new DingTalkChannel(clock),
                new FeishuChannel(clock),
                new LarkChannel(clock),
                new WeComChannel(),
                new LogChannel(),
                new WebhookChannel(clock),
                new TelegramChannel(),
                new TeamsChannel(),
                new SlackChannel(),
                new DiscordChannel(),
                new EmailChannel(Duration.ofSeconds(5), Duration.ofSeconds(5), clock, 0, new DefaultRegistry())));
    }
}
