package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.RelayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email to an SMTPS server whose certificate the relay does not trust (self-signed), through the
 * real delivery path of a relay process: the message is refused for good (clientError, a dead
 * letter), nothing is sent in clear, and that is the one failure reported: one log line and one
 * count, not a second, spurious one after it (issue 13).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmailUntrustedServerTest {

    private static final String STORE_PASSWORD = "changeit-test";
    private static final String ADMIN_TOKEN = "email-admin-token";

    @TempDir
    Path work;

    private RelayProcess relay;
    private final List<java.net.ServerSocket> servers = new ArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger plainBytes = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        if (relay != null) {
            relay.close();
        }
        for (java.net.ServerSocket server : servers) {
            server.close();
        }
    }

    @Test
    void anUntrustedCertificateIsOneClientErrorKeptAsADeadLetter() throws Exception {
        int startTls = startTlsServer(true);
        int implicit = startTlsServer(false);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: mail-starttls
                    type: email
                    to: [ops@example.com]
                    from: relay@example.com
                    smarthost: 127.0.0.1:%d
                    smtp_tls: starttls
                  - name: mail-implicit
                    type: email
                    to: [ops@example.com]
                    from: relay@example.com
                    smarthost: 127.0.0.1:%d
                    smtp_tls: implicit
                route:
                  receiver: mail-starttls
                """.formatted(startTls, implicit));
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of(),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));

        for (String receiver : List.of("mail-starttls", "mail-implicit")) {
            assertThat(relay.post("/webhook/alertmanager/" + receiver, """
                    {"version":"4","status":"firing","receiver":"relay","groupKey":"{}:{alertname=\\"MailDown\\"}",
                     "groupLabels":{"alertname":"MailDown"},"commonLabels":{"alertname":"MailDown"},
                     "alerts":[{"status":"firing","labels":{"alertname":"MailDown","instance":"10.0.0.1:9100"},
                     "annotations":{},"startsAt":"2026-11-28T06:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}
                    """).statusCode()).isEqualTo(200);
        }

        await("the dead letters").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin("/api/v1/dead-letters").contains("mail-starttls") && admin("/api/v1/dead-letters").contains("mail-implicit"));
        assertThat(admin("/api/v1/dead-letters")).contains("clientError").contains("certificate");
        // a moment for a second report, if there were one
        await("the relay settled").pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(relay.url("/actuator/prometheus")))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String receiver : List.of("mail-starttls", "mail-implicit")) {
            List<String> failures = relay.logLines("failed receiver=" + receiver + " ");
            assertThat(failures).as("%s: one failure, reported once", receiver).hasSize(1);
            assertThat(failures.get(0)).contains("reason=clientError");
            assertThat(metrics.lines().filter(l -> l.startsWith("relay_notifications_failed_total{")
                    && l.contains("receiver=\"" + receiver + "\"")).toList())
                    .as("%s: the failure counted once, as a client error", receiver)
                    .singleElement().satisfies(line -> assertThat(line).contains("reason=\"clientError\"").endsWith(" 1.0"));
        }
        assertThat(relay.log()).doesNotContain("IndexOutOfBounds");
        assertThat(handshakes.get()).as("the relay tried TLS").isPositive();
        assertThat(plainBytes.get()).as("nothing arrived past a refused handshake").isZero();
    }

    private String admin(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(relay.url(path)))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The SMTP dialogue up to STARTTLS (greeting, EHLO offering it, its go-ahead), then the socket as
     * TLS, server side. What the client sends in clear before STARTTLS is only EHLO and STARTTLS.
     */
    private static java.net.Socket upgrade(java.net.Socket plain, SSLContext tls) throws IOException {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
        var out = plain.getOutputStream();
        out.write("220 localhost ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            String command = line.toUpperCase(java.util.Locale.ROOT);
            if (command.startsWith("EHLO")) {
                out.write("250-localhost\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (command.startsWith("STARTTLS")) {
                out.write("220 2.0.0 Ready to start TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
                secured.setUseClientMode(false);
                return secured;
            } else {
                throw new IOException("not expected in clear: " + line.split(" ")[0]);
            }
        }
        throw new IOException("closed before STARTTLS");
    }

    /** A TLS server with a self-signed certificate (keytool): the relay's JVM trusts no CA that issued it. */
    private int startTlsServer(boolean startTls) throws Exception {
        Path keystore = work.resolve("server-" + (startTls ? "starttls" : "implicit") + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        java.net.ServerSocket server = startTls ? new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try (java.net.Socket plain = server.accept()) {
                    plain.setSoTimeout(5_000);
                    java.net.Socket secured = startTls ? upgrade(plain, tls) : plain;
                    handshakes.incrementAndGet();
                    ((SSLSocket) secured).startHandshake();      // the relay refuses the certificate: this fails
                    secured.getOutputStream().write("220 localhost ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    plainBytes.addAndGet(Math.max(0, secured.getInputStream().read(new byte[1024])));
                } catch (IOException e) {
                    // the refused handshake, or the server closing
                }
            }
        }, "untrusted-smtp");
        accept.setDaemon(true);
        accept.start();
        return server.getLocalPort();
    }
}
