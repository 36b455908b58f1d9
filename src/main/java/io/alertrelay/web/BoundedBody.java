package io.alertrelay.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request body read with a size limit before anything else sees it. Written here because the
 * servlet API has no per-request body limit for raw (non-form) bodies: Tomcat's maxPostSize covers
 * forms only. A declared {@code Content-Length} over the limit is refused without reading a byte
 * ({@link EdgeFilter}); a chunked body is read up to the limit and no further.
 */
public final class BoundedBody {

    private BoundedBody() {
    }

    /** True when the request announces a body longer than the limit (nothing need be read to know). */
    public static boolean declaredTooLarge(HttpServletRequest request, long limit) {
        return request.getContentLengthLong() > limit;
    }

    /** The 413 message: the limit and the setting that raises it. */
    public static String tooLarge(long limit) {
        return "body larger than the limit of " + limit + " bytes (relay.ingest.max-body-size)";
    }

    /** The body, or null when it is longer than the limit: never more than limit + 1 bytes are held. */
    public static byte[] readAtMost(InputStream in, long limit) throws IOException {
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

    /** The request with its body already read: what comes after reads these bytes. */
    public static HttpServletRequest replay(HttpServletRequest request, byte[] body) {
        return new CachedBodyRequest(request, body);
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
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (getCharacterEncoding() != null) {
                    charset = Charset.forName(getCharacterEncoding());
                }
            } catch (IllegalArgumentException e) {
                // an unknown charset in the Content-Type: read as JSON's own encoding
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
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
