package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.RelayProcess;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The console's guard over HTTP, against a relay process: a login is required (the admin token's user
 * or a configured user with a bcrypt hash), every change needs the CSRF token, the session cookie is
 * HttpOnly and SameSite=Strict, nothing secret is rendered, and the rest of the relay (webhooks, admin
 * API) answers as before: Spring Security guards /ui/ alone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleSecurityTest {

    private static final String TOKEN = "console-security-token";
    private static final String ROBOT_TOKEN = "robot-access-token-0123456789";
    private static final String ROBOT_SECRET = "SECrobot-secret-0123456789";
    private static final String ALICE_PASSWORD = "alice-password";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path work;
    private static RelayProcess relay;

    @BeforeAll
    static void start() throws Exception {
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: ops-robot
                    type: dingtalk
                    url: http://127.0.0.1:9/robot/send?access_token=${ROBOT_TOKEN}
                    secret: ${ROBOT_SECRET}
                route:
                  receiver: ops-robot
                """);
        String aliceHash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(ALICE_PASSWORD);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("ROBOT_TOKEN", ROBOT_TOKEN, "ROBOT_SECRET", ROBOT_SECRET,
                        "ALICE_HASH", aliceHash),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config,
                        "--relay.admin.token=" + TOKEN, "--relay.console.users.alice=${ALICE_HASH}",
                        // as behind a TLS-terminating proxy (the README's advice): X-Forwarded-Proto is believed from 127.0.0.1
                        "--server.forward-headers-strategy=native"),
                Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void everyPageNeedsALoginAndTheSessionCookieIsHttpOnlyAndStrict() throws Exception {
        Session anonymous = new Session();
        for (String path : List.of("/ui/", "/ui/dead-letters", "/ui/dead-letters/1", "/ui/overview/live", "/ui/floods", "/ui/floods/robot")) {
            HttpResponse<String> page = anonymous.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(302);
            assertThat(page.headers().firstValue("Location").orElseThrow()).as(path).endsWith("/ui/login");
        }
        HttpResponse<String> login = new Session().get("/ui/login");
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("RELAY_SESSION=").contains("HttpOnly", "SameSite=Strict", "Path=/ui"));
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
    }

    @Test
    void behindTlsTheSessionCookieIsSecure() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<Void> overTls = http.send(HttpRequest.newBuilder(URI.create(relay.url("/ui/login")))
                .header("X-Forwarded-Proto", "https").GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(overTls.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("RELAY_SESSION=").contains("Secure", "HttpOnly", "SameSite=Strict"));
        HttpResponse<Void> plain = http.send(HttpRequest.newBuilder(URI.create(relay.url("/ui/login"))).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(plain.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("RELAY_SESSION=").doesNotContain("Secure"));
    }

    @Test
    void theAdminTokenAndAConfiguredUserLogInAWrongPasswordDoesNot() throws Exception {
        assertThat(new Session().logIn("admin", "not-the-token").headers().firstValue("Location").orElseThrow()).endsWith("/ui/login?error");
        assertThat(new Session().logIn("alice", "wrong").headers().firstValue("Location").orElseThrow()).endsWith("/ui/login?error");
        Session admin = new Session();
        assertThat(admin.logIn("admin", TOKEN).headers().firstValue("Location").orElseThrow()).endsWith("/ui/");
        assertThat(admin.get("/ui/").statusCode()).isEqualTo(200);
        Session alice = new Session();
        alice.logIn("alice", ALICE_PASSWORD);
        HttpResponse<String> overview = alice.get("/ui/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("ops-robot", "alice");
        HttpResponse<String> odd = alice.get("/ui/?lang=%3Cscript%3E");
        assertThat(odd.statusCode()).as("a language that is none").isEqualTo(200);
        assertThat(odd.body()).doesNotContain("<script>");
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefused() throws Exception {
        Session admin = new Session();
        admin.logIn("admin", TOKEN);
        assertThat(admin.post("/ui/dead-letters/discard", "ids=1").statusCode()).as("no token").isEqualTo(403);
        assertThat(admin.post("/ui/dead-letters/replay", "ids=1&_csrf=forged").statusCode()).as("a forged token").isEqualTo(403);
        String token = admin.csrf("/ui/dead-letters");
        HttpResponse<String> done = admin.post("/ui/dead-letters/discard", "ids=1&_csrf=" + token);
        assertThat(done.statusCode()).as("with the page's token").isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/ui/dead-letters");
        // a login form posted from elsewhere has no token either
        Session other = new Session();
        assertThat(other.post("/ui/login", "username=admin&password=" + TOKEN).statusCode()).isEqualTo(403);
    }

    @Test
    void noSecretIsRendered() throws Exception {
        Session admin = new Session();
        admin.logIn("admin", TOKEN);
        for (String path : List.of("/ui/", "/ui/overview/live", "/ui/dead-letters")) {
            assertThat(admin.get(path).body()).as(path).doesNotContain(ROBOT_TOKEN, ROBOT_SECRET, TOKEN);
        }
    }

    @Test
    void theRestOfTheRelayKeepsItsOwnGuardsAndErrors() throws Exception {
        Session anonymous = new Session();
        HttpResponse<String> api = anonymous.get("/api/v1/status");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("\"status\":\"error\"");
        assertThat(api.headers().allValues("Set-Cookie")).as("no session outside /ui").isEmpty();
        // a path Spring Security's firewall would refuse (a ;) is judged by the relay as before: JSON, not the firewall's
        HttpResponse<String> odd = anonymous.get("/webhook/alertmanager;x=1");
        assertThat(odd.statusCode()).isNotEqualTo(500);
        assertThat(odd.body()).contains("\"status\":\"error\"");
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    /** A browser's cookie jar over java.net.http, redirects not followed (their targets are what is checked). */
    private static final class Session {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String csrf(String path) throws Exception {
            Matcher m = CSRF.matcher(get(path).body());
            assertThat(m.find()).as("a CSRF token in " + path).isTrue();
            return m.group(1);
        }

        HttpResponse<String> logIn(String user, String password) throws Exception {
            String token = csrf("/ui/login");
            return post("/ui/login", "username=" + user + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                    + "&_csrf=" + token);
        }
    }
}
