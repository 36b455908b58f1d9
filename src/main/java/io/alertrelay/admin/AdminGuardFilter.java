package io.alertrelay.admin;

import io.alertrelay.web.CredentialCheck;
import io.alertrelay.web.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The admin API ({@code /api/v1/*}, {@code /-/reload}) requires {@code Authorization: Bearer <relay.admin.token>}. Without a configured
 * token the admin API is closed: it shows dead letters (rendered alerts) and can send messages.
 */
public class AdminGuardFilter extends OncePerRequestFilter {

    private final CredentialCheck token;

    public AdminGuardFilter(String adminToken) {
        this.token = adminToken == null || adminToken.isEmpty() ? null : new CredentialCheck(adminToken, null, null);
    }

    /** Scripts post to {@code /api/v1/metrics} and {@code /api/v1/heartbeats/*}: the ingest credentials guard them. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
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
        chain.doFilter(request, response);
    }
}
