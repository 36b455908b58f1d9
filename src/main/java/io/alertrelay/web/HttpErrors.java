package io.alertrelay.web;

import org.springframework.http.HttpStatus;

/**
 * The sentence of the JSON error for a status the relay's own code did not answer itself (a path
 * nobody serves, a method a route does not take, a request Tomcat refuses before any servlet).
 */
final class HttpErrors {

    private static final int MAX_SHOWN_PATH = 200;

    private HttpErrors() {
    }

    static String describe(int status, String method, String path) {
        String where = method + " " + shown(path);
        return switch (status) {
            case 400 -> "bad request: malformed HTTP (request line, headers, URL encoding or body framing)";
            case 404 -> "no such endpoint: " + where;
            case 405 -> "method not allowed: " + where;
            case 406 -> "not acceptable: the relay answers application/json";
            case 408 -> "request timeout: the body did not arrive in time";
            case 411 -> "Content-Length required";
            case 413 -> "request too large";
            case 414 -> "URL too long";
            case 415 -> "unsupported Content-Type: send application/json";
            case 431 -> "request headers too large";
            case 501 -> "not implemented: " + (method == null ? "this request" : "method " + method
                    + " or this Transfer-Encoding");
            case 503 -> "temporarily unavailable, retry later";
            case 505 -> "HTTP version not supported";
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                String reason = known == null ? "error " + status : known.getReasonPhrase().toLowerCase();
                yield status >= 500 ? "internal error, retry later" : reason;
            }
        };
    }

    private static String shown(String path) {
        if (path == null) {
            return "";
        }
        return path.length() > MAX_SHOWN_PATH ? path.substring(0, MAX_SHOWN_PATH) + "..." : path;
    }
}
