package io.alertrelay.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every request passes first, whatever its path.
 *
 * <p>Until the relay is ready, 503 for all but the health endpoints. Tomcat opens the port before
 * Camel has started the routes that serve the webhooks, and a path without its route is a 404, which
 * Alertmanager never retries: a notification posted in that moment would be lost. A 503 it retries.
 * The gate opens when Spring Boot reports the application ready (after the Camel context and its routes
 * started) and closes again when the application shuts down.
 *
 * <p>A body declared longer than relay.ingest.max-body-size is refused from the header (413), before
 * anything waits for it; Tomcat then closes the connection instead of reading the rest.
 */
public class EdgeFilter extends OncePerRequestFilter {

    private final long maxBodyBytes;
    private volatile boolean ready;

    public EdgeFilter(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        ready = true;
    }

    @EventListener(ContextClosedEvent.class)
    public void stopping() {
        ready = false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!ready && !isHealth(request)) {
            response.setHeader("Retry-After", "1");
            JsonErrors.write(response, 503, "not ready: the relay is starting or stopping, retry shortly");
            return;
        }
        if (BoundedBody.declaredTooLarge(request, maxBodyBytes)) {
            JsonErrors.write(response, 413, BoundedBody.tooLarge(maxBodyBytes));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isHealth(HttpServletRequest request) {
        // the servlet path is decoded and normalised: /actuator/../webhook/x is not an actuator path
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }
}
