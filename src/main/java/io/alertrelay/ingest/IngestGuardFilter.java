package io.alertrelay.ingest;

import io.alertrelay.RelayProperties;
import io.alertrelay.web.CredentialCheck;
import io.alertrelay.web.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The HTTP checks in front of every ingest endpoint, answered before any alert is parsed:
 * credentials (401), body size (413) and content type of a non-empty body (415), each with a JSON message.
 */
public class IngestGuardFilter extends OncePerRequestFilter {

    private final CredentialCheck auth;
    private final long maxBodyBytes;

    public IngestGuardFilter(RelayProperties.Ingest settings) {
        this.auth = new CredentialCheck(settings.getBearerToken(), settings.getBasicAuthUsername(), settings.getBasicAuthPassword());
        this.maxBodyBytes = settings.getMaxBodySize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!auth.permits(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"alert-relay\", Basic realm=\"alert-relay\"");
            reject(response, 401, "missing or wrong credentials");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            reject(response, 413, tooLarge());
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBodyBytes);
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
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private String tooLarge() {
        return "body larger than the limit of " + maxBodyBytes + " bytes (relay.ingest.max-body-size)";
    }

    /** The body, or null when it is longer than the limit: never more than limit + 1 bytes are held. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void reject(HttpServletResponse response, int status, String message) throws IOException {
        JsonErrors.write(response, status, message);
    }

    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body),
                    java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
