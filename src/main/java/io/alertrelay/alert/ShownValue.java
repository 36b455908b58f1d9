package io.alertrelay.alert;

import java.util.Locale;

/**
 * How a measured value appears in an alert's text (threshold alerts, probes): whole numbers without
 * decimals, others to four significant digits ({@code 0.1235}, {@code 91.23}), so a PromQL ratio
 * does not show as {@code 0.12345678901234}.
 */
public final class ShownValue {

    private ShownValue() {
    }

    public static String of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String shown = String.format(Locale.ROOT, "%.4g", value);
        return shown.contains("e") ? shown : shown.replaceAll("\\.?0+$", "");
    }
}
