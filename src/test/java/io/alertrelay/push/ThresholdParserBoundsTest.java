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
import org.junit.jupiter.api.Test;

/** POST /api/v1/metrics with numbers and names beyond any sensible size (issue 9). */
class ThresholdParserBoundsTest {

    private final ThresholdParser parser = new ThresholdParser(
            Clock.fixed(Instant.parse("2026-11-21T06:00:00Z"), ZoneOffset.UTC), Duration.ofMinutes(5));

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
    void aValueBeyondTheRangeOfANumberIsA400NamingTheField() {
        // a double's range ends near 1e308; written out that is past the JSON parser's 100-character
        // number limit (a 400 of its own), so within it only an exponent goes beyond
        assertThat(rejected("{\"service\":\"s\",\"metric\":\"m\",\"value\":1e400,\"thresholds\":{\"warning\":1}}")
                .getMessage()).startsWith("value:");
        assertThat(rejected("{\"service\":\"s\",\"metric\":\"m\",\"value\":1,\"thresholds\":{\"critical\":-1e400}}")
                .getMessage()).startsWith("thresholds.critical:");
        assertThat(rejected("{\"service\":\"s\",\"metric\":\"m\",\"value\":" + "9".repeat(400) + ",\"thresholds\":{\"warning\":1}}")
                .getMessage()).contains("limit of 100 characters").doesNotContain("9999999999999999999999");
    }

    @Test
    void longNamesAreCutLikeAnyLabelValueAndStayDistinct() {
        List<Alert> a = parse("{\"service\":\"" + "s".repeat(50_000) + "a\",\"metric\":\"cpu\",\"value\":95,\"thresholds\":{\"warning\":90}}");
        List<Alert> b = parse("{\"service\":\"" + "s".repeat(50_000) + "b\",\"metric\":\"cpu\",\"value\":95,\"thresholds\":{\"warning\":90}}");
        assertThat(a.get(0).label("service")).hasSizeLessThanOrEqualTo(1024).endsWith("…(truncated, 50,001 chars)");
        assertThat(a.get(0).annotation("summary")).hasSizeLessThanOrEqualTo(4096);
        assertThat(a.get(0).fingerprint()).isNotEqualTo(b.get(0).fingerprint());
    }
}
