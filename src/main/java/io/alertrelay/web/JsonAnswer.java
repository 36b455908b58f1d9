package io.alertrelay.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;

/** How a route answers an HTTP request: a status and a JSON body, and no header of the request echoed back. */
public final class JsonAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswer() {
    }

    public static void send(Exchange exchange, int status, Object body) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The relay's error answer, {@code {"status":"error","error":"..."}} ({@link JsonErrors} for servlet responses). */
    public static void error(Exchange exchange, int status, String message) {
        send(exchange, status, Map.of("status", "error", "error", message));
    }
}
