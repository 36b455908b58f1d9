package io.alertrelay.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report for what it refuses before any servlet runs (bad URL encoding, CONNECT, an
 * unknown Transfer-Encoding, a malformed request line): the relay's JSON error instead of Tomcat's
 * HTML page. Tomcat's own {@code JsonErrorReportValve} writes another shape, so this one overrides
 * {@link #report} the same way, with the same guards. Installed as the Host's error report valve
 * ({@link WebBeans}); errors inside the web application go to {@link JsonErrorController} first,
 * and a response that already has a body is left alone.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String message = HttpErrors.describe(status, request.getMethod(), request.getDecodedRequestURI());
        String detail = response.getMessage();
        if (status < 500 && detail != null && !detail.isBlank()) {
            message = message + " (" + detail + ")";
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JsonErrors.body(message));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is closed: nothing left to tell it
        }
    }
}
