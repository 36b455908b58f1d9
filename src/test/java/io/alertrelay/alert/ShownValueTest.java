package io.alertrelay.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShownValueTest {

    @Test
    void wholeNumbersHaveNoDecimals() {
        assertThat(ShownValue.of(42)).isEqualTo("42");
        assertThat(ShownValue.of(-3)).isEqualTo("-3");
        assertThat(ShownValue.of(0)).isEqualTo("0");
    }

    @Test
    void fractionsShowFourSignificantDigitsWithoutTrailingZeros() {
        assertThat(ShownValue.of(0.123456789)).isEqualTo("0.1235");
        assertThat(ShownValue.of(91.23456)).isEqualTo("91.23");
        assertThat(ShownValue.of(95.5)).isEqualTo("95.5");
        assertThat(ShownValue.of(0.5)).isEqualTo("0.5");
    }

    @Test
    void hugeTinyAndOddValuesStayReadable() {
        assertThat(ShownValue.of(1.5e20)).isEqualTo("1.500e+20");
        assertThat(ShownValue.of(1e20)).isEqualTo("1.000e+20");
        assertThat(ShownValue.of(0.000012345)).isEqualTo("1.235e-05");
        assertThat(ShownValue.of(Double.NaN)).isEqualTo("NaN");
        assertThat(ShownValue.of(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }
}
