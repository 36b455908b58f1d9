package io.alertrelay.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates a silence in an Alertmanager through its v2 API ({@code POST /api/v2/silences}): where a
 * group that came from an Alertmanager is silenced, so that Alertmanager itself stops notifying it
 * (and gossips it to its HA peers). Which Alertmanager, and with which credentials, is chosen by the
 * externalURL of the group's webhook.
 */
public class AlertmanagerSilences {

    /** The Alertmanager could not be reached or refused; the message names it without any credential. */
    public static final class SilenceFailedException extends RuntimeException {
        SilenceFailedException(String message) {
            super(message);
        }
    }

    /**
     * An Alertmanager's API and the Authorization header to send it (a secret, or empty).
     * {@code externalUrl}: the webhooks' externalURL it is chosen by; empty for the default.
     */
    public record Target(String externalUrl, String url, String authorization) {
        public Target {
            externalUrl = trimmed(externalUrl);
            url = trimmed(url);
            authorization = authorization == null ? "" : authorization;
        }

        @Override
        public String toString() {
            return url;   // never the credentials
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<Target> targets;
    private final Target fallback;

    /**
     * @param targets  Alertmanagers by their externalURL (relay.actions.alertmanagers)
     * @param fallback for any other group (relay.actions.alertmanager-url and -authorization); an empty url: the
     *                 group's own externalURL, without credentials
     */
    public AlertmanagerSilences(List<Target> targets, Target fallback) {
        this.targets = List.copyOf(targets);
        this.fallback = fallback;
    }

    /** The Alertmanager a group whose webhook carried {@code externalURL} is silenced in; empty when there is none. */
    public Optional<Target> target(String externalURL) {
        String external = trimmed(externalURL);
        Target chosen = targets.stream().filter(t -> t.externalUrl().equals(external)).findFirst()
                .map(t -> t.url().isEmpty() ? new Target(external, external, t.authorization()) : t)
                .orElseGet(() -> fallback.url().isEmpty() ? new Target(external, external, "") : fallback);
        return chosen.url().startsWith("http://") || chosen.url().startsWith("https://") ? Optional.of(chosen) : Optional.empty();
    }

    /** @return the id Alertmanager gave the silence */
    public String create(Target alertmanager, Map<String, String> labels, Instant startsAt, Instant endsAt,
                         String createdBy, String comment) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode matchers = body.putArray("matchers");
        labels.forEach((name, value) -> matchers.addObject().put("name", name).put("value", value)
                .put("isRegex", false).put("isEqual", true));
        body.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
                .put("createdBy", createdBy).put("comment", comment);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(alertmanager.url() + "/api/v2/silences"))
                .timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (!alertmanager.authorization().isEmpty()) {
            request.header("Authorization", alertmanager.authorization());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SilenceFailedException("Alertmanager " + alertmanager.url() + " cannot be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SilenceFailedException("interrupted while calling Alertmanager " + alertmanager.url());
        }
        if (response.statusCode() / 100 != 2) {
            String detail = response.body() == null ? "" : response.body().strip();
            throw new SilenceFailedException("Alertmanager " + alertmanager.url() + " answered " + response.statusCode()
                    + (detail.isEmpty() ? "" : ": " + detail.substring(0, Math.min(200, detail.length()))));
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            return answer.path("silenceID").asText("");
        } catch (IOException e) {
            throw new SilenceFailedException("Alertmanager " + alertmanager.url() + " answered something that is not JSON");
        }
    }

    private static String trimmed(String url) {
        return url == null ? "" : url.strip().replaceAll("/+$", "");
    }
}
