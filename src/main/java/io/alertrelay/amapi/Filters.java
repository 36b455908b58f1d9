package io.alertrelay.amapi;

import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.routing.Matcher;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/** The query parameters of Alertmanager's v2 GETs: {@code filter} (repeatable matchers, as amtool sends them) and booleans. */
final class Filters {

    /** Filters one request may carry at most. */
    static final int MAX_FILTERS = 64;

    private Filters() {
    }

    /** The {@code filter} parameters parsed; a bad one is a 400 naming it. */
    static List<Matcher> matchers(Exchange exchange) {
        List<Matcher> out = new ArrayList<>();
        for (String text : values(exchange.getMessage().getHeader("filter"))) {
            if (out.size() == MAX_FILTERS) {
                throw RequestRejectedException.badRequest("more than " + MAX_FILTERS + " filter parameters");
            }
            try {
                out.add(Matcher.parse(text));
            } catch (IllegalArgumentException e) {
                throw RequestRejectedException.badRequest("bad filter: " + e.getMessage());
            }
        }
        return out;
    }

    /** A boolean parameter; {@code fallback} when absent. */
    static boolean flag(Exchange exchange, String name, boolean fallback) {
        List<String> given = values(exchange.getMessage().getHeader(name));
        if (given.isEmpty() || given.get(0).isBlank()) {
            return fallback;
        }
        String value = given.get(0).strip();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw RequestRejectedException.badRequest(name + " must be true or false");
    }

    /** A repeated query parameter arrives as a list, a single one as a string. */
    private static List<String> values(Object header) {
        if (header == null) {
            return List.of();
        }
        if (header instanceof Iterable<?> many) {
            List<String> out = new ArrayList<>();
            many.forEach(v -> out.add(String.valueOf(v)));
            return out;
        }
        return List.of(String.valueOf(header));
    }
}
