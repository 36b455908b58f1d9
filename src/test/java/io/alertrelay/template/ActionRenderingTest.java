package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.action.Action;
import io.alertrelay.action.ActionLinks;
import io.alertrelay.action.ActionNotice;
import io.alertrelay.action.Actions;
import io.alertrelay.action.NotifiedGroups;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.testing.JsonStrings;
import io.alertrelay.testing.TestChannels;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The silence and acknowledge links in every channel's default templates, each format: a firing
 * group's message carries all four signed links intact (valid JSON for the robots), a resolved one and
 * a relay without relay.external-url none, and the notice that tells the chat what was done says who
 * and until when in the receiver's language.
 */
class ActionRenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATES = Path.of("templates");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T06:30:00Z"), ZoneOffset.UTC);
    /** Plain-text robot messages: four long URLs would bury the alert; these formats carry none. */
    private static final Set<String> WITHOUT_ACTIONS = Set.of("dingtalk text", "wecom text", "feishu text", "lark text", "log text");
    private static final ActionLinks LINKS = new ActionLinks(() -> new byte[32], "https://relay.example/", Duration.ofDays(7), CLOCK);

    static Stream<Arguments> formats() {
        List<Arguments> out = new ArrayList<>();
        for (ReceiverType type : TestChannels.types()) {
            for (String format : TestChannels.all(CLOCK).of(receiver(type, null, "zh")).formats()) {
                out.add(Arguments.of(type, format));
            }
        }
        return out.stream();
    }

    private static NotificationRenderer renderer(ActionLinks links) {
        return new NotificationRenderer(new TemplateRenderer(TEMPLATES), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10, links), "zh", CLOCK, TestChannels.all(CLOCK));
    }

    private static ReceiverConfig receiver(ReceiverType type, String format, String language) {
        return new ReceiverConfig("robot " + type.id(), type, new Secret("https://bot.example/hook/tok"), null, format, null, true,
                null, language, ReceiverType.EMAIL.equals(type) ? List.of("ops@example.com") : null,
                ReceiverType.EMAIL.equals(type) ? "relay@example.com" : null, null, null, null, null, null, null, null, null);
    }

    private static AlertGroup group(boolean firing) {
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED,
                Map.of("alertname", "HostDown", "severity", "critical", "instance", "10.0.0.7:9100"),
                Map.of("summary", "节点无响应"), CLOCK.instant().minusSeconds(600), firing ? null : CLOCK.instant(), "", null);
        return new AlertGroup("{}:{alertname=\"HostDown\"}", "alertmanager", "relay", null, "",
                Map.of("alertname", "HostDown"), Map.of(), 0, List.of(alert), CLOCK.instant());
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("formats")
    void aFiringGroupsMessageCarriesEveryActionLinkIntact(ReceiverType type, String format) throws Exception {
        Notification notification = new Notification(receiver(type, format, "zh"), group(true));
        String shown = shown(type, format, renderer(LINKS).render(notification));
        String keyHash = NotifiedGroups.keyOf(notification);
        for (Action action : Actions.offered()) {
            String url = LINKS.url(action, keyHash);
            if (WITHOUT_ACTIONS.contains(type.id() + " " + format)) {
                assertThat(shown).doesNotContain(url);
            } else {
                assertThat(shown).as("%s %s carries the %s link", type, format, action).contains(url);
                assertThat(LINKS.verify(url.substring(url.lastIndexOf('/') + 1)).action()).isEqualTo(action);
            }
        }
        if (!WITHOUT_ACTIONS.contains(type.id() + " " + format)) {
            assertThat(shown).contains("静默 4 小时").contains("认领");
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("formats")
    void noActionsForAResolvedGroupOrWithoutTheRelaysAddress(ReceiverType type, String format) throws Exception {
        Notification resolved = new Notification(receiver(type, format, "zh"), group(false));
        assertThat(shown(type, format, renderer(LINKS).render(resolved))).doesNotContain(ActionLinks.PATH);
        ActionLinks off = new ActionLinks(() -> new byte[32], "", Duration.ofDays(7), CLOCK);
        Notification firing = new Notification(receiver(type, format, "zh"), group(true));
        assertThat(shown(type, format, renderer(off).render(firing))).doesNotContain(ActionLinks.PATH);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("formats")
    void theNoticeSaysWhoSilencedWhichGroupUntilWhenInTheReceiversLanguage(ReceiverType type, String format) throws Exception {
        Instant until = CLOCK.instant().plus(Duration.ofHours(4));
        AlertGroup silenced = ActionNotice.of(group(true), "robot", "张三", until, "扩容中", CLOCK.instant());
        String zh = shown(type, format, renderer(LINKS).render(new Notification(receiver(type, format, "zh"), silenced)));
        AlertGroup acked = ActionNotice.of(group(true), "robot", "Zhang San", null, "", CLOCK.instant());
        String en = shown(type, format, renderer(LINKS).render(new Notification(receiver(type, format, "en"), acked)));
        assertThat(zh).doesNotContain(ActionLinks.PATH);
        if (type.id().equals("webhook") && format.equals("json")) {
            // Alertmanager's payload has no sentence: the facts are its annotations
            assertThat(zh).contains("silence").contains("张三").contains("扩容中").contains(until.toString());
            assertThat(en).contains("ack").contains("Zhang San");
            return;
        }
        assertThat(zh).contains("HostDown 10.0.0.7:9100 已由 张三 静默，至 2026-11-28 18:30").contains("扩容中");
        assertThat(en).contains("HostDown 10.0.0.7:9100 acknowledged by Zhang San");
    }

    /** What the reader sees: the JSON's strings for a robot, the text part for email, the body otherwise. */
    private static String shown(ReceiverType type, String format, OutgoingMessage message) throws Exception {
        if (type.equals(ReceiverType.EMAIL)) {
            return message.subject() + "\n" + message.text() + "\n" + message.body();
        }
        String body = message.body();
        String text = body.startsWith("{") ? String.join("\n", JsonStrings.of(JSON.readTree(body))) : body;
        // MarkdownV2 escapes every punctuation mark with a backslash: the reader sees it without
        return format.equals("markdownv2") ? text.replaceAll("\\\\(.)", "$1") : text;
    }
}
