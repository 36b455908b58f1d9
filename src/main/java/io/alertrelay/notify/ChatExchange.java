package io.alertrelay.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The HTTP side every chat receiver shares: the request handed to the {@code http} endpoint, and the
 * platform's answer read the platform's way (an error code inside an HTTP 200 is still an error).
 */
public final class ChatExchange {

    /**
     * The camel-http endpoint of every HTTP channel: the URL is the request's ({@link #request}), and
     * an error status is an answer to read, not an exception.
     */
    public static final String ENDPOINT = "http://channel?throwExceptionOnFailure=false";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A platform's answer: the HTTP status, its result code (null when absent), its message and its Retry-After (or null). */
    public record Answer(int httpStatus, Integer code, String message, java.time.Duration retryAfter) {

        public Answer(int httpStatus, Integer code, String message) {
            this(httpStatus, code, message, null);
        }
    }

    /** The longest wait a Retry-After may ask for; beyond it the backoff's own schedule and the maximum age decide. */
    public static final java.time.Duration MAX_RETRY_AFTER = java.time.Duration.ofHours(1);

    /**
     * A {@code Retry-After} header as a wait: seconds or an HTTP date (RFC 9110), at most
     * {@link #MAX_RETRY_AFTER}, never negative; null when absent or unreadable.
     */
    public static java.time.Duration retryAfter(String header, java.time.Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        java.time.Duration wait;
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                wait = java.time.Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                wait = MAX_RETRY_AFTER;             // more digits than a long: long enough
            }
        } else {
            try {
                wait = java.time.Duration.between(clock.instant(), java.time.ZonedDateTime.parse(value,
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return java.time.Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private ChatExchange() {
    }

    public static ObjectNode payload(OutgoingMessage message) {
        try {
            return (ObjectNode) JSON.readTree(message.body());
        } catch (JsonProcessingException | ClassCastException e) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, "rendered message is not a JSON object");
        }
    }

    /** Replaces the message with exactly the request to send: no internal header leaks to the platform. */
    public static void request(Exchange exchange, String url, ObjectNode payload) {
        var in = exchange.getMessage();
        // keep Camel's redelivery counter: without it every retry would look like the first
        in.removeHeaders("*", "CamelRedelivery*");
        in.setHeader(Exchange.HTTP_URI, url);
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        in.setBody(payload.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the answer; {@code codeField} is where the platform puts its result code. */
    public static Answer answer(Exchange exchange, String codeField, String messageField) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setBody(text); // a stream is read once: keep the text for the next reader
        JsonNode body = null;
        try {
            body = text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // not JSON: judged by the HTTP status below
        }
        Integer code = body != null && body.has(codeField) ? body.get(codeField).asInt() : null;
        String message = body != null ? body.path(messageField).asText("") : abbreviate(text);
        return new Answer(status == null ? 0 : status, code, message,
                retryAfter(exchange.getMessage().getHeader("Retry-After", String.class), java.time.Clock.systemUTC()));
    }

    /**
     * Success only when the platform says so. Rate-limit and auth codes are the platform's own; any
     * other non-zero code is a client error, which retrying would not fix.
     */
    public static void verify(Answer answer, String platform, Set<Integer> rateLimitCodes, Set<Integer> authCodes) {
        if (answer.code() != null) {
            if (answer.code() == 0 && answer.httpStatus() < 300) {
                return;
            }
            String what = platform + " answered " + answer.code() + " " + answer.message();
            if (rateLimitCodes.contains(answer.code())) {
                throw new DeliveryFailedException(FailureReason.RATE_LIMITED, what);
            }
            if (authCodes.contains(answer.code())) {
                throw new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
            }
            if (answer.httpStatus() >= 500) {
                throw new DeliveryFailedException(FailureReason.SERVER_ERROR, what);
            }
            if (answer.code() != 0) {
                throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
            }
        }
        int status = answer.httpStatus();
        String what = platform + " answered HTTP " + status + (answer.message().isEmpty() ? "" : ": " + answer.message());
        if (status == 429) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, what, answer.retryAfter());
        }
        if (status == 401 || status == 403) {
            throw new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if (status >= 400 && status < 500) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        // a 5xx, or a 2xx without the platform's result code (a proxy's page, say): try again later
        throw new DeliveryFailedException(FailureReason.SERVER_ERROR, what + (status < 300 ? " without a result code" : ""));
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
