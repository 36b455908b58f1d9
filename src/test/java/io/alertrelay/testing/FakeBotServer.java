package io.alertrelay.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared machinery of the fake chat-bot webhook servers ({@link FakeDingTalk}, {@link FakeFeishu},
 * {@link FakeLark}, {@link FakeWeCom}, {@link FakeSlack}, {@link FakeTelegram}, {@link FakeDiscord},
 * {@link FakeTeams}, {@link FakeWebhook}): a JDK {@link HttpServer} on 127.0.0.1 (random port), request
 * recording, sliding-window rate limiting with an optional throttling penalty, fault injection and a settable
 * clock.
 *
 * <p>The platform rules (signature, limits, message validation, error shapes) live in the subclasses,
 * which implement {@link #process}. Every request is recorded, in the order the fake decided on it, with
 * the answer given. An answer may have any status, a plain or empty body and extra headers (such as
 * {@code Retry-After}); it counts as a delivered message when the subclass marks it successful (for the
 * Chinese robots: HTTP 200 with platform code 0). Processing is serialised under one lock, so the fakes are
 * thread-safe and limits are exact under concurrent senders; the configured delays are slept outside the lock.
 *
 * <p>Nothing here logs or prints tokens or secrets; {@link BotRequest#toString()} masks them.
 */
public abstract class FakeBotServer implements AutoCloseable {

    /** Injected failure for the next requests (see {@link #failNext(int, Fault)}). */
    public enum Fault {
        /** HTTP 500 with an HTML body (no platform JSON); the request is not processed. */
        HTTP_500,
        /** HTTP 502 with an HTML body, as a gateway would answer; the request is not processed. */
        HTTP_502,
        /**
         * Wait {@link #setSlowFaultDelay(Duration)} (default 5 s), then process the request normally: a client
         * with a shorter timeout gives up although the message is delivered (the retry-duplicate case).
         */
        SLOW,
        /** The platform's own rate-limit answer (does not start the penalty); the request is not processed. */
        RATE_LIMITED,
        /** Close the connection without any answer; the request is not processed. */
        CLOSE_CONNECTION,
        /** The platform's signature-failure answer (WeCom has no signing: its credential failure, 93000). */
        SIGN_ERROR
    }

    /** A clock the tests move by hand, to exercise time windows, penalties and timestamp skew without waiting. */
    public static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now;
        private final ZoneId zone;

        public ManualClock(Instant start) {
            this(new AtomicReference<>(start), ZoneOffset.UTC);
        }

        private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        public static ManualClock startingNow() {
            return new ManualClock(Instant.now());
        }

        public void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        public void set(Instant instant) {
            now.set(Objects.requireNonNull(instant));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new ManualClock(now, zone);
        }
    }

    /** What the fake received, handed to {@link #process}. */
    protected record Incoming(String method, String path, Map<String, String> query,
                              Map<String, List<String>> headers, byte[] body, JsonNode json) {

        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        /** {@code application/json}, optionally with {@code charset=utf-8} (any other charset is refused). */
        boolean isJsonContentType() {
            String ct = header("Content-Type");
            if (ct == null) {
                return false;
            }
            String[] parts = ct.split(";");
            if (!parts[0].trim().equalsIgnoreCase("application/json")) {
                return false;
            }
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                    String cs = p.substring(eq + 1).trim().replace("\"", "");
                    if (!cs.equalsIgnoreCase("utf-8") && !cs.equalsIgnoreCase("utf8")) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The body as a JSON object, or {@code null}. */
        ObjectNode object() {
            return json instanceof ObjectNode o ? o : null;
        }
    }

    /**
     * The fake's answer to one request. {@code contentType} may be null (no Content-Type header, e.g. for an
     * empty 202/204); {@code headers} are extra response headers, in order.
     */
    protected record Answer(int status, String contentType, String body, Integer code, boolean success,
                            boolean duplicate, String note, Map<String, String> headers) {

        protected Answer {
            body = body == null ? "" : body;
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** An answer without extra headers. */
        protected Answer(int status, String contentType, String body, Integer code, boolean success,
                         boolean duplicate, String note) {
            this(status, contentType, body, code, success, duplicate, note, Map.of());
        }

        /** The same answer, marked as a duplicate: sent, but not recorded as a new accepted message. */
        Answer asDuplicate() {
            return new Answer(status, contentType, body, code, success, true, note, headers);
        }

        /** The same answer with one more response header. */
        Answer withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, contentType, body, code, success, duplicate, note, h);
        }
    }

    protected static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String name;
    private final Object lock = new Object();

    // configuration (guarded by lock)
    private final int defaultRatePerMinute;
    private final int defaultRatePerSecond;
    private final Duration defaultPenalty;
    private final RateWindows.Limit defaultExtraWindow;
    private int ratePerMinute;
    private int ratePerSecond;
    private RateWindows.Limit extraWindow;
    private Duration penalty;
    private Duration delay = Duration.ZERO;
    private Duration slowFaultDelay = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    // state (guarded by lock)
    private final List<BotRequest> requests = new ArrayList<>();
    private final List<BotRequest> accepted = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final RateWindows acceptedTimes = new RateWindows(List.of());
    private Instant throttledUntil;

    private HttpServer server;
    private ExecutorService executor;

    protected FakeBotServer(String name, int ratePerMinute, int ratePerSecond, Duration penalty) {
        this(name, ratePerMinute, ratePerSecond, penalty, 0, Duration.ofSeconds(1));
    }

    /**
     * With one more sliding window: at most {@code windowMax} accepted messages in any {@code window}
     * (0 = none), e.g. Discord's 5 per 2 s or a burst allowance "3 per 3 s".
     */
    protected FakeBotServer(String name, int ratePerMinute, int ratePerSecond, Duration penalty,
                            int windowMax, Duration window) {
        this.name = name;
        this.defaultRatePerMinute = ratePerMinute;
        this.defaultRatePerSecond = ratePerSecond;
        this.defaultPenalty = penalty;
        this.defaultExtraWindow = new RateWindows.Limit(windowMax, window);
        this.ratePerMinute = ratePerMinute;
        this.ratePerSecond = ratePerSecond;
        this.extraWindow = defaultExtraWindow;
        this.penalty = penalty;
        updateLimits();
    }

    /** Binds 127.0.0.1 on a random port and starts serving; called by the subclasses' factories. */
    protected final void bind() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    // ------------------------------------------------------------------ platform rules

    /**
     * Applies the platform rules to one request, under the fake's lock. Subclasses call
     * {@link #rateLimited(Instant)} at the point the platform checks its limits; a successful answer is
     * counted in the rate window by the base class.
     */
    protected abstract Answer process(Incoming in, Instant now);

    /** The platform's rate-limit answer. */
    protected abstract Answer rateLimitedAnswer(String note);

    /** The platform's signature-failure answer. */
    protected abstract Answer signErrorAnswer(String note);

    /** Called by {@link #reset()} under the lock, to clear platform-specific state. */
    protected void onReset() {
    }

    // ------------------------------------------------------------------ addresses

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The webhook URL a relay is configured with (without any signature). */
    public abstract String webhookUrl();

    // ------------------------------------------------------------------ records

    /** Every request received, including rejected and faulted ones, in order. */
    public List<BotRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Requests answered with success and recorded as delivered messages (duplicates excluded), in order. */
    public List<BotRequest> accepted() {
        synchronized (lock) {
            return List.copyOf(accepted);
        }
    }

    /** Waits until at least {@code n} messages were accepted; returns the first {@code n}. */
    public List<BotRequest> awaitAccepted(int n, Duration timeout) {
        return await(n, timeout, accepted, "accepted message(s)");
    }

    /** Waits until at least {@code n} requests (of any outcome) arrived; returns the first {@code n}. */
    public List<BotRequest> awaitRequests(int n, Duration timeout) {
        return await(n, timeout, requests, "request(s)");
    }

    private List<BotRequest> await(int n, Duration timeout, List<BotRequest> list, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (list.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": expected " + n + " " + what + " within " + timeout
                            + " but got " + list.size() + "; " + describeLocked());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(name + ": interrupted while waiting for " + n + " " + what, e);
                }
            }
            return List.copyOf(list.subList(0, n));
        }
    }

    /** Redacted listing of everything received so far. */
    public String describe() {
        synchronized (lock) {
            return describeLocked();
        }
    }

    private String describeLocked() {
        StringBuilder sb = new StringBuilder();
        sb.append(requests.size()).append(" request(s) arrived, ").append(accepted.size()).append(" accepted");
        for (int i = 0; i < requests.size(); i++) {
            sb.append("\n  #").append(i + 1).append(' ').append(requests.get(i));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ configuration

    /**
     * The next {@code n} requests (after those already queued) get {@code fault} instead of normal handling.
     * Calls queue up: {@code failNext(2, HTTP_500); failNext(1, CLOSE_CONNECTION)}.
     */
    public void failNext(int n, Fault fault) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0");
        }
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            for (int i = 0; i < n; i++) {
                faults.addLast(fault);
            }
        }
    }

    /** Faults still queued. */
    public int pendingFaults() {
        synchronized (lock) {
            return faults.size();
        }
    }

    /** Delay before answering every request (a slow robot). Default zero. */
    public void setDelay(Duration delay) {
        requireNonNegative(delay);
        synchronized (lock) {
            this.delay = delay;
        }
    }

    /** Extra delay applied by the {@link Fault#SLOW} fault. Default 5 s. */
    public void setSlowFaultDelay(Duration delay) {
        requireNonNegative(delay);
        synchronized (lock) {
            this.slowFaultDelay = delay;
        }
    }

    /** Accepted messages allowed in any sliding 60 s window; 0 = unlimited. */
    public void setRatePerMinute(int ratePerMinute) {
        if (ratePerMinute < 0) {
            throw new IllegalArgumentException("ratePerMinute must be >= 0");
        }
        synchronized (lock) {
            this.ratePerMinute = ratePerMinute;
            updateLimits();
        }
    }

    /** Accepted messages allowed in any sliding 1 s window; 0 = unlimited. */
    public void setRatePerSecond(int ratePerSecond) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("ratePerSecond must be >= 0");
        }
        synchronized (lock) {
            this.ratePerSecond = ratePerSecond;
            updateLimits();
        }
    }

    /**
     * One more sliding window, besides the minute and the second: at most {@code max} accepted messages in any
     * {@code window} (max 0 = none). Each fake's class comment says what it uses it for by default.
     */
    public void setRateWindow(int max, Duration window) {
        RateWindows.Limit limit = new RateWindows.Limit(max, window);
        synchronized (lock) {
            this.extraWindow = limit;
            updateLimits();
        }
    }

    /**
     * How long the robot stays throttled once a limit is hit (every request during it gets the rate-limit
     * answer). Zero means only the sliding windows apply.
     */
    public void setPenalty(Duration penalty) {
        requireNonNegative(penalty);
        synchronized (lock) {
            this.penalty = penalty;
        }
    }

    /** Clock used for timestamps, signature skew and rate windows (default: system UTC). */
    public void setClock(Clock clock) {
        synchronized (lock) {
            this.clock = Objects.requireNonNull(clock);
        }
    }

    /** True if the robot is in its throttling penalty now. */
    public boolean throttled() {
        synchronized (lock) {
            return throttledUntil != null && clock.instant().isBefore(throttledUntil);
        }
    }

    /**
     * Clears records, queued faults, the rate windows and the throttling penalty (and platform state such as
     * DingTalk's seen msgUuids). Configuration (limits, penalty, delays, clock, keywords) is kept; use
     * {@link #restoreDefaultLimits()} for the limits.
     */
    public void reset() {
        synchronized (lock) {
            requests.clear();
            accepted.clear();
            faults.clear();
            acceptedTimes.clear();
            throttledUntil = null;
            onReset();
            lock.notifyAll();
        }
    }

    /** Restores the platform's real rate limits and penalty. */
    public void restoreDefaultLimits() {
        synchronized (lock) {
            ratePerMinute = defaultRatePerMinute;
            ratePerSecond = defaultRatePerSecond;
            extraWindow = defaultExtraWindow;
            penalty = defaultPenalty;
            updateLimits();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return name + "[" + (server == null ? "unbound" : baseUrl()) + "]";
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /**
     * Checks the limits at {@code now}: true if the robot is throttled or the message would exceed a window,
     * in which case the penalty (if any) starts. Only accepted messages fill the windows.
     */
    protected final boolean rateLimited(Instant now) {
        if (throttledUntil != null) {
            if (now.isBefore(throttledUntil)) {
                return true;
            }
            throttledUntil = null;
        }
        boolean over = !acceptedTimes.wait(now).isZero();
        if (over && !penalty.isZero()) {
            throttledUntil = now.plus(penalty);
        }
        return over;
    }

    /**
     * How long from {@code now} until one more message would be accepted: the rest of the penalty, or the time
     * until enough messages have left the sliding windows. Zero when not limited. Call it after
     * {@link #rateLimited(Instant)} answered true, to tell the client when to retry.
     */
    protected final Duration retryAfter(Instant now) {
        if (throttledUntil != null && now.isBefore(throttledUntil)) {
            return Duration.between(now, throttledUntil);
        }
        return acceptedTimes.wait(now);
    }

    /** The maximum of the extra sliding window ({@link #setRateWindow}); 0 if none (for rate-limit headers). */
    protected final int rateWindowMax() {
        synchronized (lock) {
            return extraWindow.max();
        }
    }

    /** Whole seconds, rounded up, at least 1: the {@code Retry-After} header value for {@code wait}. */
    protected static long retryAfterSeconds(Duration wait) {
        long s = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    private void updateLimits() {
        acceptedTimes.setLimits(List.of(
                new RateWindows.Limit(ratePerMinute, Duration.ofMinutes(1)),
                new RateWindows.Limit(ratePerSecond, Duration.ofSeconds(1)),
                extraWindow));
    }

    /** A JSON answer; {@code codeField} names the platform code ({@code errcode} or {@code code}). */
    protected static Answer jsonAnswer(int status, ObjectNode body, String codeField, String note) {
        Integer code = body.hasNonNull(codeField) ? body.get(codeField).asInt() : null;
        boolean success = status == 200 && code != null && code == 0;
        return new Answer(status, "application/json;charset=UTF-8", body.toString(), code, success, false, note);
    }

    /** A plain/HTML answer without a platform code (404, 5xx faults). */
    protected static Answer plainAnswer(int status, String contentType, String body, String note) {
        return new Answer(status, contentType, body, null, false, false, note);
    }

    /**
     * A successful answer, for platforms that report success by status rather than by a code in a 200 body
     * (Slack {@code 200 ok}, Discord 204, Teams 202). {@code contentType} may be null for an empty body.
     */
    protected static Answer successAnswer(int status, String contentType, String body, String note) {
        return new Answer(status, contentType, body, null, true, false, note);
    }

    /** A JSON answer that is not a platform-coded one ({@code code} may be null); success as given. */
    protected static Answer jsonAnswer(int status, JsonNode body, Integer code, boolean success, String note) {
        return new Answer(status, "application/json", body.toString(), code, success, false, note);
    }

    protected static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Non-blank text at {@code field} of {@code node}, or null. */
    protected static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    /** True if any keyword occurs in the message's texts (string values, except under {@code skipKeys}). */
    protected static boolean containsKeyword(JsonNode json, List<String> keywords, Set<String> skipKeys) {
        StringBuilder sb = new StringBuilder();
        collectText(json, skipKeys, sb);
        String all = sb.toString();
        return keywords.stream().anyMatch(all::contains);
    }

    private static void collectText(JsonNode node, Set<String> skipKeys, StringBuilder out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            out.append(node.asText()).append('\n');
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (!skipKeys.contains(e.getKey())) {
                    collectText(e.getValue(), skipKeys, out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectText(child, skipKeys, out));
        }
    }

    protected static List<String> checkKeywords(String... keywords) {
        if (keywords.length > 10) {
            throw new IllegalArgumentException("the platforms allow at most 10 keywords");
        }
        for (String k : keywords) {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("blank keyword");
            }
        }
        return List.of(keywords);
    }

    protected static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ HTTP handling

    private void handle(HttpExchange ex) {
        try {
            Instant received;
            Fault fault;
            Duration wait;
            Duration slow;
            synchronized (lock) {
                received = clock.instant();
                fault = faults.pollFirst();
                wait = delay;
                slow = slowFaultDelay;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            Incoming in = incoming(ex, body);
            sleep(wait);
            if (fault == Fault.SLOW) {
                sleep(slow);
            }
            if (fault == Fault.CLOSE_CONNECTION) {
                synchronized (lock) {
                    record(in, received, null, "fault CLOSE_CONNECTION");
                }
                // no response headers were sent: the JDK server closes the TCP connection
                ex.close();
                return;
            }
            Answer answer;
            synchronized (lock) {
                Instant now = clock.instant();
                answer = fault == null || fault == Fault.SLOW ? process(in, now) : faultAnswer(fault);
                if (answer.success()) {
                    acceptedTimes.record(now);
                }
                record(in, received, answer, answer.note());
            }
            send(ex, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        } catch (Throwable t) {
            // a bug in the fake: answer 500 and close, so the test sees it rather than hanging
            try {
                send(ex, plainAnswer(500, "text/plain", "fake server error: " + t, null));
            } catch (IOException | RuntimeException ignored) {
                ex.close();
            }
        }
    }

    private Answer faultAnswer(Fault fault) {
        return switch (fault) {
            case HTTP_500 -> plainAnswer(500, "text/html",
                    "<html><body><h1>500 Internal Server Error</h1></body></html>", "fault HTTP_500");
            case HTTP_502 -> plainAnswer(502, "text/html",
                    "<html><body><h1>502 Bad Gateway</h1></body></html>", "fault HTTP_502");
            case RATE_LIMITED -> rateLimitedAnswer("fault RATE_LIMITED");
            case SIGN_ERROR -> signErrorAnswer("fault SIGN_ERROR");
            case SLOW, CLOSE_CONNECTION -> throw new IllegalArgumentException(fault.name());
        };
    }

    private void record(Incoming in, Instant received, Answer answer, String note) {
        BotRequest r = new BotRequest(in.method(), in.path(), in.query(), in.headers(), in.body(), in.json(),
                answer == null ? BotRequest.NO_RESPONSE : answer.status(),
                answer == null ? null : answer.code(),
                answer == null ? null : answer.body(),
                answer != null && answer.duplicate() ? joinNote(note, "duplicate, not recorded again") : note,
                received,
                answer != null && answer.success());
        requests.add(r);
        if (answer != null && answer.success() && !answer.duplicate()) {
            accepted.add(r);
        }
        lock.notifyAll();
    }

    private static String joinNote(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

    private static void send(HttpExchange ex, Answer a) throws IOException {
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        if (a.contentType() != null) {
            ex.getResponseHeaders().set("Content-Type", a.contentType());
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        boolean noBody = bytes.length == 0 || a.status() == 204 || a.status() == 304;
        ex.sendResponseHeaders(a.status(), noBody ? -1 : bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            if (!noBody) {
                os.write(bytes);
            }
        }
        ex.close();
    }

    private static Incoming incoming(HttpExchange ex, byte[] body) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        return new Incoming(ex.getRequestMethod().toUpperCase(Locale.ROOT), ex.getRequestURI().getPath(),
                parseQuery(ex.getRequestURI().getRawQuery()), headers, body, parseJson(body));
    }

    /** Decodes a raw query string the way a servlet container does ({@code +} is a space). */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.putIfAbsent(k, v);
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static JsonNode parseJson(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis());
        }
    }

    private static void requireNonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0");
        }
    }
}
