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
import java.util.Map;

/**
 * Creates a silence in an Alertmanager through its v2 API ({@code POST /api/v2/silences}): where a
 * group that came from an Alertmanager is silenced, so that Alertmanager itself stops notifying it
 * (and gossips it to its HA peers).
 */
public class AlertmanagerSilences {

    /** The Alertmanager could not be reached or refused; the message names it without any credential. */
    public static final class SilenceFailedException extends RuntimeException {
        SilenceFailedException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String configuredUrl;
    private final String authorization;

    /**
     * @param configuredUrl the Alertmanager to use for every group (relay.actions.alertmanager-url); empty: each group's externalURL
     * @param authorization the Authorization header to send it (a secret), or empty
     */
    public AlertmanagerSilences(String configuredUrl, String authorization) {
        this.configuredUrl = configuredUrl == null ? "" : configuredUrl.replaceAll("/+$", "");
        this.authorization = authorization == null ? "" : authorization;
    }

    /** The Alertmanager a group from {@code externalURL} is silenced in; empty when there is none. */
    public String target(String externalURL) {
        String url = configuredUrl.isEmpty() ? externalURL.replaceAll("/+$", "") : configuredUrl;
        return url.startsWith("http://") || url.startsWith("https://") ? url : "";
    }

    /** @return the id Alertmanager gave the silence */
    public String create(String alertmanager, Map<String, String> labels, Instant startsAt, Instant endsAt,
                         String createdBy, String comment) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode matchers = body.putArray("matchers");
        labels.forEach((name, value) -> matchers.addObject().put("name", name).put("value", value)
                .put("isRegex", false).put("isEqual", true));
        body.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
                .put("createdBy", createdBy).put("comment", comment);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(alertmanager + "/api/v2/silences"))
                .timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SilenceFailedException("Alertmanager " + alertmanager + " cannot be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SilenceFailedException("interrupted while calling Alertmanager " + alertmanager);
        }
        if (response.statusCode() / 100 != 2) {
            String detail = response.body() == null ? "" : response.body().strip();
            throw new SilenceFailedException("Alertmanager " + alertmanager + " answered " + response.statusCode()
                    + (detail.isEmpty() ? "" : ": " + detail.substring(0, Math.min(200, detail.length()))));
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            return answer.path("silenceID").asText("");
        } catch (IOException e) {
            throw new SilenceFailedException("Alertmanager " + alertmanager + " answered something that is not JSON");
        }
    }
}
