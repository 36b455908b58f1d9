package io.alertrelay.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.alertrelay.alert.Alert;
import io.alertrelay.ingest.RequestRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** POST /api/v2/alerts with the outside test's oversized bodies (issue 9), under the default relay.limits.*. */
class PushedAlertsParserBoundsTest {

    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");

    private final PushedAlertsParser parser = new PushedAlertsParser(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    private List<Alert> parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private RequestRejectedException rejected(String json) {
        RequestRejectedException e = catchThrowableOfType(RequestRejectedException.class, () -> parse(json));
        assertThat(e).as("must be rejected").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }

    @Test
    void aMillionCharacterDescriptionIsCutWithAMarker() {
        Alert alert = parse("[{\"labels\":{\"alertname\":\"Big\"},\"annotations\":{\"description\":\""
                + "x".repeat(1_000_000) + "\",\"summary\":\"short\"}}]").get(0);
        assertThat(alert.annotation("description")).hasSizeLessThanOrEqualTo(4096)
                .endsWith("…(truncated, 1,000,000 chars)");
        assertThat(alert.annotation("summary")).isEqualTo("short");
    }

    @Test
    void manyLargeAnnotationsAreCutToTheAlertsBudget() {
        String annotations = IntStream.range(0, 60).mapToObj(i -> "\"a" + i + "\":\"" + "v".repeat(4000) + "\"")
                .collect(Collectors.joining(","));
        Alert alert = parse("[{\"labels\":{\"alertname\":\"Wide\"},\"annotations\":{" + annotations + "}}]").get(0);
        long chars = alert.annotations().values().stream().mapToLong(String::length).sum();
        assertThat(chars).as("an alert's texts within relay.limits.max-alert-chars").isLessThanOrEqualTo(16_384);
        assertThat(alert.annotation("a0")).contains("…(truncated, 4,000 chars)");
    }

    @Test
    void aLongLabelIsCutAndTheIdentityKept() {
        Alert a = parse("[{\"labels\":{\"alertname\":\"L\",\"path\":\"" + "p".repeat(3000) + "a\"}}]").get(0);
        Alert b = parse("[{\"labels\":{\"alertname\":\"L\",\"path\":\"" + "p".repeat(3000) + "b\"}}]").get(0);
        assertThat(a.label("path")).hasSizeLessThanOrEqualTo(1024).endsWith("…(truncated, 3,001 chars)");
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
    }

    @Test
    void anEndsAtOfYear999999999IsClampedToWhatTheStoreHolds() {
        Alert alert = parse("[{\"labels\":{\"alertname\":\"Far\"},\"endsAt\":\"+999999999-12-31T23:59:59Z\"}]").get(0);
        assertThat(alert.endsAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        assertThat(alert.isFiring()).isTrue();
        assertThat(alert.endsAt().toEpochMilli()).isPositive();          // no ArithmeticException: long overflow
    }

    @Test
    void tooManyAlertsInOneRequestIsA400() {
        String alerts = IntStream.range(0, 1001).mapToObj(i -> "{\"labels\":{\"alertname\":\"A" + i + "\"}}")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(rejected(alerts).getMessage()).contains("1001 alerts").contains("relay.limits.max-alerts-per-request");
    }

    @Test
    void tooManyLabelsOrAnOverLongNameIsA400NamingTheField() {
        String labels = IntStream.range(0, 65).mapToObj(i -> "\"l" + i + "\":\"v\"").collect(Collectors.joining(","));
        assertThat(rejected("[{\"labels\":{" + labels + "}}]").getMessage()).contains("[0].labels").contains("65");
        assertThat(rejected("[{\"labels\":{\"a\":\"b\"},\"annotations\":{\"" + "n".repeat(300) + "\":\"v\"}}]").getMessage())
                .contains("[0].annotations").contains("relay.limits.max-name-length");
    }

    @Test
    void anOverLongGeneratorUrlIsDropped() {
        Alert alert = parse("[{\"labels\":{\"alertname\":\"U\"},\"generatorURL\":\"http://p.example/" + "g".repeat(5000) + "\"}]").get(0);
        assertThat(alert.generatorURL()).isEmpty();
    }
}
