package io.alertrelay.ingest;

import io.alertrelay.RelayProperties;
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
 * The HTTP checks in front of every ingest endpoint, answered before any alert is parsed:
 * credentials (401), body size (413) and content type of a non-empty body (415), each with a JSON message.
 * (A declared size over the limit never gets here: web.EdgeFilter refuses it first, for every path.)
 */
public class IngestGuardFilter extends OncePerRequestFilter {

    private final CredentialCheck auth;
    private final long maxBodyBytes;
    private final java.util.function.Supplier<String> refusal;

    public IngestGuardFilter(RelayProperties.Ingest settings) {
        this(settings, () -> null);
    }

    /** @param refusal why input is refused now (the data volume below its high-water mark): a 503; null to take it */
    public IngestGuardFilter(RelayProperties.Ingest settings, java.util.function.Supplier<String> refusal) {
        this.refusal = refusal;
        this.auth = new CredentialCheck(settings.getBearerToken(), settings.getBasicAuthUsername(), settings.getBasicAuthPassword());
        this.maxBodyBytes = settings.getMaxBodySize().toBytes();
    }

    /** The silences take the admin token instead ({@link IngestBeans#ADMIN_ONLY_PATHS}): one Authorization header cannot carry both. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isAdminOnly(request);
    }

    /** Whether the request is for {@link IngestBeans#ADMIN_ONLY_PATHS}, by the path as Tomcat maps it (decoded, normalised). */
    private static boolean isAdminOnly(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return "/api/v2/silences".equals(path) || path.startsWith("/api/v2/silence/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!auth.permits(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"alert-relay\", Basic realm=\"alert-relay\"");
            reject(response, 401, "missing or wrong credentials");
            return;
        }
        String refused = refusal.get();
        // a heartbeat is one row updated; refusing it would make the relay report a missing heartbeat
        if (refused != null && !request.getServletPath().startsWith("/api/v1/heartbeats/")) {
            response.setHeader("Retry-After", "30");
            reject(response, 503, refused + "; retry later");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = BoundedBody.readAtMost(request.getInputStream(), maxBodyBytes);
        if (body == null) {
            reject(response, 413, tooLarge());
            return;
        }
        // a POST without a body (a heartbeat from `curl -X POST`) has no content type to check
        String type = request.getContentType();
        if (body.length > 0 && (type == null || !type.toLowerCase().matches("application/([a-z.+-]*\\+)?json(\\s*;.*)?"))) {
            reject(response, 415, "Content-Type must be application/json, got " + (type == null ? "none" : "'" + type + "'"));
            return;
        }
        chain.doFilter(BoundedBody.replay(request, body), response);
    }

    private String tooLarge() {
        return BoundedBody.tooLarge(maxBodyBytes);
    }

    private static void reject(HttpServletResponse response, int status, String message) throws IOException {
        JsonErrors.write(response, status, message);
    }
}
