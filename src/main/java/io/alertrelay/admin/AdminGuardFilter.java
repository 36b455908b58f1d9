package io.alertrelay.admin;

import io.alertrelay.web.BoundedBody;
import io.alertrelay.web.CredentialCheck;
import io.alertrelay.web.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The admin API ({@code /api/v1/*}, {@code /-/reload}, and Alertmanager's silence endpoints
 * {@code /api/v2/silences}, {@code /api/v2/silence/*}) requires {@code Authorization: Bearer <relay.admin.token>}. Without a configured
 * token the admin API is closed: it shows dead letters (rendered alerts) and can send messages.
 * Bodies (a template preview's webhook payload) have the ingest limit, relay.ingest.max-body-size.
 */
public class AdminGuardFilter extends OncePerRequestFilter {

    private final CredentialCheck token;
    private final long maxBodyBytes;

    public AdminGuardFilter(String adminToken, long maxBodyBytes) {
        this.token = adminToken == null || adminToken.isEmpty() ? null : new CredentialCheck(adminToken, null, null);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Scripts post to {@code /api/v1/metrics} and {@code /api/v1/heartbeats/*}: the ingest credentials guard them. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the servlet path is decoded and normalised, as Tomcat maps it: /api/v1/heartbeats/../status is /api/v1/status
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return "/api/v1/metrics".equals(path) || path.startsWith("/api/v1/heartbeats/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token == null) {
            JsonErrors.write(response, 403, "the admin API is disabled: set relay.admin.token");
            return;
        }
        if (!token.permits(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"alert-relay-admin\"");
            JsonErrors.write(response, 401, "missing or wrong admin token");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = BoundedBody.readAtMost(request.getInputStream(), maxBodyBytes);
        if (body == null) {
            JsonErrors.write(response, 413, BoundedBody.tooLarge(maxBodyBytes));
            return;
        }
        chain.doFilter(BoundedBody.replay(request, body), response);
    }

}
