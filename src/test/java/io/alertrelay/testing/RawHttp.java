package io.alertrelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 written byte for byte on a socket: what no HTTP client sends (a bad percent-encoding, a
 * Content-Length of 10 GB over a 10-byte body, an unknown Transfer-Encoding, CONNECT), to see what
 * the server answers. The connection is read until the server closes it or {@code wait} passes.
 */
public final class RawHttp {

    /** What came back: the status, the body, the raw head, and whether and when the server closed. */
    public record Answer(int status, String head, String body, Duration firstByteAfter, boolean closedByServer,
                         Duration closedAfter) {

        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    public static Answer send(int port, byte[] request, Duration wait) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            long start = System.nanoTime();
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            Duration firstByte = null;
            boolean closed = false;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (firstByte == null) {
                        firstByte = Duration.ofNanos(System.nanoTime() - start);
                    }
                    out.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                // the server kept the connection open: what it sent so far is the answer
            } catch (IOException e) {
                closed = true;                                  // reset by the server
            }
            return parse(out.toString(StandardCharsets.ISO_8859_1), firstByte, closed,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to 127.0.0.1:" + port + " failed", e);
        }
    }

    public static Answer send(int port, String request, Duration wait) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), wait);
    }

    private static Answer parse(String raw, Duration firstByte, boolean closed, Duration after) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        int status = -1;
        if (head.startsWith("HTTP/1.1 ") && head.length() >= 12) {
            status = Integer.parseInt(head.substring(9, 12));
        }
        String chunked = null;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:") && line.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = line;
            }
        }
        if (chunked != null) {
            body = dechunk(body);
        }
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        return new Answer(status, head, new String(bytes, StandardCharsets.UTF_8), firstByte, closed, after);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
