package io.alertrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian's) with a Lua script from bench/ and reads its figures; samples a process's memory meanwhile. */
final class Wrk {

    record Result(double requestsPerSecond, String p50, String p99, String errors, long peakRssBytes) {

        double p99Millis() {
            return millis(p99);
        }
    }

    private Wrk() {
    }

    static Result run(String url, String script, int connections, int seconds, LongSupplier rss) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", "bench/" + script, url).redirectErrorStream(true).start();
        long peak = -1;
        while (!wrk.waitFor(250, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, rss.getAsLong());
        }
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return new Result(number(out, "Requests/sec:\\s+([\\d.]+)"), text(out, "\\n\\s+50%\\s+(\\S+)"),
                text(out, "\\n\\s+99%\\s+(\\S+)"), errors(out), peak);
    }

    private static String errors(String out) {
        StringBuilder errors = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.contains("Non-2xx") || line.contains("Socket errors")) {
                errors.append(line.trim()).append(' ');
            }
        }
        return errors.isEmpty() ? "none" : errors.toString().trim();
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in wrk's output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String text(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? m.group(1) : "n/a";
    }

    /** wrk prints 12.34us, 5.67ms or 1.23s. */
    static double millis(String latency) {
        Matcher m = Pattern.compile("([\\d.]+)(us|ms|s)").matcher(latency);
        if (!m.matches()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
