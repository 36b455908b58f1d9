package io.alertrelay.dedup;

import io.alertrelay.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.notify.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotificationLogTest {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final Duration REPEAT = Duration.ofHours(4);
    private static final String GROUP_KEY = "{}:{alertname=\"HostDown\"}";

    private final MutableClock clock = new MutableClock(T0);
    private CamelContext camel;
    private NotificationLog log;

    @BeforeEach
    void setUp() {
        camel = new DefaultCamelContext();
        log = new NotificationLog(new DedupPolicy(REPEAT, Duration.ZERO), clock, 1000, Duration.ofDays(7));
    }

    @AfterEach
    void tearDown() throws Exception {
        camel.close();
    }

    private static ReceiverConfig receiver(String name, boolean sendResolved) {
        return new ReceiverConfig(name, ReceiverType.LOG, null, null, null, null, sendResolved, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    private static Alert alert(String instance, String status) {
        return new Alert(status, Map.of("alertname", "HostDown", "instance", instance), Map.of(),
                T0.minusSeconds(600), Alert.RESOLVED.equals(status) ? T0 : null, "", null);
    }

    private static Notification notification(ReceiverConfig receiver, Alert... alerts) {
        return new Notification(receiver, new AlertGroup(GROUP_KEY, "alertmanager", "relay", null, "",
                Map.of("alertname", "HostDown"), Map.of(), 0, Arrays.asList(alerts), T0));
    }

    private Exchange exchange(Notification notification) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(notification);
        return exchange;
    }

    private boolean add(Notification notification) {
        return log.add(exchange(notification), notification.dedupKey());
    }

    private final ReceiverConfig ops = receiver("ops", true);

    @Test
    void sameGroupTwiceIsADuplicate() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(log.contains(n.dedupKey())).isFalse();
        assertThat(add(n)).isTrue();
        assertThat(log.contains(n.dedupKey())).isTrue();
        assertThat(add(n)).isFalse();
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isFalse();
    }

    @Test
    void annotationChangesAreNotNews() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        Alert reannotated = new Alert(Alert.FIRING, Map.of("alertname", "HostDown", "instance", "a"),
                Map.of("summary", "changed"), T0.minusSeconds(600), null, "", null);
        assertThat(add(notification(ops, reannotated))).isFalse();
    }

    @Test
    void newAlertInTheGroupIsNotADuplicate() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isFalse();
    }

    @Test
    void onlyResolvedAndNothingSentIsNotSent() {
        Notification n = notification(ops, alert("a", Alert.RESOLVED));
        assertThat(add(n)).isFalse();
        assertThat(log.contains(n.dedupKey())).isFalse();
    }

    @Test
    void allResolvedAfterFiringIsSentOnce() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.RESOLVED)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.RESOLVED)))).isFalse();
    }

    @Test
    void resolvedSubsetIsSuppressedForAReceiverThatDoesNotWantResolved() {
        ReceiverConfig quiet = receiver("quiet", false);
        assertThat(add(notification(quiet, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isTrue();
        assertThat(add(notification(quiet, alert("a", Alert.FIRING), alert("b", Alert.RESOLVED)))).isFalse();
        // the same change is news for a receiver that wants resolved alerts
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.RESOLVED)))).isTrue();
    }

    @Test
    void receiversAreLoggedSeparately() {
        Notification forOps = notification(ops, alert("a", Alert.FIRING));
        Notification forDb = notification(receiver("db", true), alert("a", Alert.FIRING));
        assertThat(add(forOps)).isTrue();
        assertThat(add(forDb)).isTrue();
        assertThat(add(forOps)).isFalse();
        assertThat(add(forDb)).isFalse();
    }

    @Test
    void repeatIntervalIsMeasuredFromTheLastSendWithTheClock() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(add(n)).isTrue();                        // T0
        clock.advance(Duration.ofHours(3));
        assertThat(add(n)).isFalse();                       // T0+3h: suppressed, the record keeps T0
        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(add(n)).isFalse();                       // T0+4h-1ms
        clock.advance(Duration.ofMillis(1));
        assertThat(add(n)).isTrue();                        // T0+4h: repeat
        clock.advance(Duration.ofMinutes(1));
        assertThat(add(n)).isFalse();                       // measured from the repeat now
        clock.advance(REPEAT.minusMinutes(1));
        assertThat(add(n)).isTrue();
    }

    @Test
    void removeRestoresThePreviousRecord() {
        Notification first = notification(ops, alert("a", Alert.FIRING));
        Notification second = notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING));
        assertThat(add(first)).isTrue();
        clock.advance(Duration.ofMinutes(1));

        Exchange failed = exchange(second);
        assertThat(log.add(failed, second.dedupKey())).isTrue();
        assertThat(log.remove(failed, second.dedupKey())).isTrue();

        // the failed notification is news again, the first one is still known
        assertThat(add(first)).isFalse();
        assertThat(add(second)).isTrue();
    }

    @Test
    void removeRestoresThePreviousTimestampToo() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(add(n)).isTrue();                        // T0
        clock.advance(REPEAT);
        Exchange repeat = exchange(n);
        assertThat(log.add(repeat, n.dedupKey())).isTrue(); // T0+4h
        log.remove(repeat, n.dedupKey());
        // the repeat failed: it must be tried again, as the last send is T0 again
        assertThat(add(n)).isTrue();
    }

    @Test
    void removeOfAFirstNotificationForgetsTheGroup() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        Exchange failed = exchange(n);
        assertThat(log.add(failed, n.dedupKey())).isTrue();
        log.remove(failed, n.dedupKey());
        assertThat(log.contains(n.dedupKey())).isFalse();
        assertThat(add(n)).isTrue();
    }

    @Test
    void removeByKeyAndClearForget() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        add(n);
        assertThat(log.remove(n.dedupKey())).isTrue();
        assertThat(add(n)).isTrue();
        log.clear();
        assertThat(log.size()).isZero();
        assertThat(add(n)).isTrue();
        assertThat(log.confirm(n.dedupKey())).isTrue();
    }

    @Test
    void addWithoutExchangeIsRefused() {
        assertThatThrownBy(() -> log.add("key"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("add(exchange, key)");
    }

    @Test
    void cacheIsBoundedInSize() {
        NotificationLog small = new NotificationLog(new DedupPolicy(REPEAT, Duration.ZERO), clock, 3, Duration.ofDays(7));
        List<String> groups = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "group-" + i).toList();
        for (String key : groups) {
            Notification n = notification(ops, alert(key, Alert.FIRING));
            assertThat(small.add(exchange(n), key)).isTrue();
        }
        assertThat(small.size()).isLessThanOrEqualTo(3).isPositive();
        assertThat(groups.stream().filter(small::contains).count()).isLessThanOrEqualTo(3);
    }

    @Test
    void aGroupFormedByTheRelayRepeatsAtItsRulesRepeatInterval() {
        Alert firing = alert("a", Alert.FIRING);
        Notification hourly = new Notification(ops, new AlertGroup(GROUP_KEY, "api", "", "ops", "",
                Map.of("alertname", "HostDown"), Map.of(), 0, List.of(firing), T0, Duration.ofHours(1)));
        assertThat(add(hourly)).isTrue();
        clock.advance(Duration.ofMinutes(59));
        assertThat(add(hourly)).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(add(hourly)).as("the rule's 1h, not the default 4h").isTrue();
    }
}
