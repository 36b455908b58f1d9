package io.alertrelay.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Prometheus's instant query API ({@code GET /api/v1/query}), asynchronous so that due probes run side by side. */
public class PrometheusClient {

    /** One series of the result: its labels (without {@code __name__}) and value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    /** Why a query gave no result, worded for the alert about the probe. */
    public static class QueryFailedException extends RuntimeException {
        public QueryFailedException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;

    public PrometheusClient(Duration connectTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public CompletableFuture<List<Sample>> query(String prometheus, String promql, Duration timeout) {
        String target = prometheus.endsWith("/") ? prometheus.substring(0, prometheus.length() - 1) : prometheus;
        URI uri = URI.create(target + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String base = shown(target);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        throw new QueryFailedException("cannot query " + base + ": " + describe(error));
                    }
                    return parse(base, response.statusCode(), response.body());
                });
    }

    static List<Sample> parse(String base, int status, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new QueryFailedException(base + " answered HTTP " + status + " with a body that is not Prometheus's JSON");
        }
        if (status != 200 || !"success".equals(root.path("status").asText())) {
            throw new QueryFailedException(base + " answered HTTP " + status + ": "
                    + root.path("errorType").asText("error") + ": " + root.path("error").asText("no message"));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText();
        List<Sample> samples = new ArrayList<>();
        switch (type) {
            case "vector" -> data.path("result").forEach(series -> {
                Map<String, String> labels = new LinkedHashMap<>();
                series.path("metric").fields().forEachRemaining(e -> {
                    if (!"__name__".equals(e.getKey())) {
                        labels.put(e.getKey(), e.getValue().asText());
                    }
                });
                samples.add(new Sample(labels, value(series.path("value"))));
            });
            case "scalar" -> samples.add(new Sample(Map.of(), value(data.path("result"))));
            default -> throw new QueryFailedException("the query gives a " + type + "; a probe needs an instant vector or a scalar");
        }
        return samples;
    }

    /** The URL as messages show it: without user and password, should the URL carry them. */
    static String shown(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }

    /** Prometheus writes a value as {@code [time, "1.5"]}, with "NaN", "+Inf" and "-Inf" spelled out. */
    private static double value(JsonNode pair) {
        String text = pair.path(1).asText("NaN");
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within the timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
