package io.alertrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hostile JSON is the sender's fault: a 400 naming the limit, never a parser crash (a 503). */
class JsonInputTest {

    @Test
    void nestingDeeperThanTheLimitIsA400NamingIt() {
        String deep = "[".repeat(1001) + "]".repeat(1001);
        assertThatThrownBy(() -> JsonInput.read(bytes(deep)))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("nested deeper").contains(String.valueOf(JsonInput.MAX_NESTING_DEPTH));
                });
    }

    @Test
    void aNumberLongerThanTheLimitIsA400NamingIt() {
        for (String number : new String[] {"9".repeat(1001), "0." + "1".repeat(1001), "-" + "7".repeat(5000)}) {
            assertThatThrownBy(() -> JsonInput.read(bytes("{\"value\": " + number + "}")))
                    .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("number").contains(String.valueOf(JsonInput.MAX_NUMBER_LENGTH));
                    });
        }
    }

    @Test
    void whatAlertsCarryStaysWithinTheLimits() {
        String nested = "{\"a\":".repeat(JsonInput.MAX_NESTING_DEPTH - 1) + "1" + "}".repeat(JsonInput.MAX_NESTING_DEPTH - 1);
        assertThat(JsonInput.read(bytes(nested)).isObject()).isTrue();
        assertThat(JsonInput.read(bytes("{\"value\": 1.7976931348623157e+308}")).path("value").isNumber()).isTrue();
    }

    @Test
    void malformedJsonStillSaysWhere() {
        assertThatThrownBy(() -> JsonInput.read(bytes("{\"alerts\": [")))
                .isInstanceOf(RequestRejectedException.class).hasMessageContaining("line 1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
