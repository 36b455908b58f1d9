package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link OutgoingMessage#deliveryId()} becomes DingTalk's {@code msgUuid}: DingTalk shows a message
 * with an id it has seen only once. So the id must stay the same when the same rows are retried, and
 * differ whenever the message delivers other rows, or a newer state would be silently dropped.
 */
class DeliveryIdTest {

    private static final Path TEMPLATES = Path.of("templates");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-01T08:30:00Z"), ZoneOffset.UTC);
    private static final ReceiverConfig DING = new ReceiverConfig("ding", ReceiverType.DINGTALK,
            new Secret("https://bot.example/hook/tok"), null, "markdown", null, true, null, "zh", null, null, null,
            null, null, null, null, null, null, null);

    private static NotificationRenderer renderer() {
        return new NotificationRenderer(new TemplateRenderer(TEMPLATES), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, io.alertrelay.testing.TestChannels.all(CLOCK));
    }

    private static Notification group(String name, int instances) {
        List<Alert> alerts = IntStream.range(0, instances).mapToObj(i -> new Alert(Alert.FIRING,
                Map.of("alertname", name, "instance", "节点-" + i), Map.of("summary", "服务不可用"),
                Instant.parse("2024-03-01T08:00:00Z"), null, "", null)).toList();
        return new Notification(DING, new AlertGroup("{}:{alertname=\"" + name + "\"}", "alertmanager", "relay", null, "",
                Map.of("alertname", name), Map.of(), 0, alerts, CLOCK.instant()));
    }

    private static String deliveryId(List<Notification> notifications, List<Long> ids) {
        List<OutgoingMessage> parts = renderer().renderBatch(DING, notifications, ids, io.alertrelay.testing.TestChannels.sizeLimit(DING));
        assertThat(parts).hasSize(1);
        return parts.get(0).deliveryId();
    }

    @Test
    void theSameRowsKeepTheirIdAcrossRetries() {
        List<Notification> batch = List.of(group("订单服务异常", 1), group("支付服务异常", 2));
        assertThat(deliveryId(batch, List.of(1L, 2L))).isNotBlank().isEqualTo(deliveryId(batch, List.of(1L, 2L)));
    }

    /**
     * Rows 1 (A) and 2 (B) were sent but the answer timed out; meanwhile row 3, a newer state of B,
     * superseded row 2. The retry delivers rows 1 and 3: another message, which DingTalk must not
     * take for the one it already showed.
     */
    @Test
    void aMessageOfOtherRowsGetsAnotherId() {
        String first = deliveryId(List.of(group("订单服务异常", 1), group("支付服务异常", 2)), List.of(1L, 2L));
        String retry = deliveryId(List.of(group("订单服务异常", 1), group("支付服务异常", 5)), List.of(1L, 3L));
        assertThat(retry).as("delivery id of rows [1, 3] vs rows [1, 2]").isNotEqualTo(first);
    }
}
