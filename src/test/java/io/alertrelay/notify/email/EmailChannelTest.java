package io.alertrelay.notify.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery against a real SMTP server (GreenMail): implicit TLS with a certificate from a private CA
 * named by {@code ca_file}, STARTTLS required or not, and how failures are classified.
 */
class EmailChannelTest {

    private static final String USER = "relay";
    private static final String PASSWORD = "app-pa55-s3cr3t";
    private static final String STORE_PASSWORD = "changeit";
    private static final String[] GREENMAIL_TLS_PROPERTIES = {
            "greenmail.tls.keystore.file", "greenmail.tls.keystore.password", "greenmail.tls.key.password"};

    @TempDir
    static Path dir;
    private static Path caFile;
    private static GreenMail mail;

    private final CamelContext camel = new DefaultCamelContext();
    private final EmailChannel notifier = new EmailChannel(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Clock.fixed(Instant.parse("2024-05-01T08:00:00Z"), ZoneOffset.UTC), 0, camel.getRegistry());

    /** What the send route does (routes/deliver.yaml): prepare, the receiver's smtp endpoint, verify; a failure read by the channel. */
    private void send(Exchange exchange) {
        OutgoingMessage message = exchange.getProperty("test.message", OutgoingMessage.class);
        notifier.prepare(message, exchange);
        camel.start();
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.send(notifier.endpoint(message.notification().receiver()), exchange);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (exchange.getException() != null) {
            DeliveryFailedException read = notifier.failure(exchange.getException());
            throw read != null ? read : new IllegalStateException(exchange.getException());
        }
        notifier.verify(message, exchange);
    }

    @BeforeAll
    static void startServers() throws Exception {
        Path keystore = issueServerCertificate();
        // GreenMail reads its TLS key once per JVM, when the first secure server starts: no other test
        // may start an SMTPS/IMAPS/POP3S GreenMail before this one, or it would serve GreenMail's own
        // certificate (not issued for "localhost") and the trusted-delivery tests would fail
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
        System.setProperty("greenmail.tls.key.password", STORE_PASSWORD);
        ServerSetup smtps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
        ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        for (ServerSetup setup : List.of(smtps, smtp)) {
            setup.setServerStartupTimeout(30_000);      // 2 s by default: too short on a busy machine
        }
        mail = new GreenMail(new ServerSetup[] {smtps, smtp})
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, PASSWORD));
        mail.start();
    }

    @AfterAll
    static void stopServers() {
        if (mail != null) {
            mail.stop();
        }
        for (String property : GREENMAIL_TLS_PROPERTIES) {
            System.clearProperty(property);
        }
    }

    @AfterEach
    void reset() throws Exception {
        mail.purgeEmailFromAllMailboxes();
        camel.close();
    }

    /**
     * A private CA and a server certificate it issued for "localhost" only (not for 127.0.0.1), made
     * with the JDK's keytool so no test dependency is needed. The CA's certificate goes to {@link #caFile}.
     */
    private static Path issueServerCertificate() throws Exception {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path issued = dir.resolve("server.pem");
        caFile = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Alert Relay Test CA",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", ca);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-file", caFile);
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", server);
        keytool("-certreq", "-alias", "smtp", "-keystore", server, "-file", request);
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-infile", request, "-outfile", issued,
                "-ext", "san=dns:localhost", "-ext", "eku=serverAuth", "-validity", "2");
        // the CA first, so that the issued certificate is installed with its chain
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caFile, "-keystore", server);
        keytool("-importcert", "-noprompt", "-alias", "smtp", "-file", issued, "-keystore", server);
        return server;
    }

    private static void keytool(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object arg : args) {
            command.add(arg.toString());
        }
        command.addAll(List.of("-storepass", STORE_PASSWORD));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    // --- receivers and messages ---

    private static ReceiverConfig receiver(String smarthost, String password, Boolean requireTls, String smtpTls,
            Path ca) {
        return new ReceiverConfig("mail", ReceiverType.EMAIL, null, null, null, null, true, null, null,
                List.of("ops@example.com"), "relay@example.com", smarthost, new Secret(USER), new Secret(password),
                requireTls, smtpTls, ca == null ? null : ca.toString(), null, null);
    }

    private static String smtps(String host) {
        return host + ":" + mail.getSmtps().getPort();
    }

    private static String plain() {
        return "127.0.0.1:" + mail.getSmtp().getPort();
    }

    private Exchange exchangeFor(ReceiverConfig receiver) {
        AlertGroup group = new AlertGroup("{}:{alertname=\"HostDown\"}", "alertmanager", "relay", null, "",
                Map.of("alertname", "HostDown"), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "HostDown"), Map.of(), Instant.EPOCH, null, "", null)),
                Instant.EPOCH);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("test.message", new OutgoingMessage(new Notification(receiver, group),
                "<p>HostDown is <b>firing</b></p>", "[FIRING:1] HostDown", "HostDown is firing"));
        return exchange;
    }

    /** Sending fails, nothing reaches the server, and no password shows in what is reported. */
    private DeliveryFailedException failure(ReceiverConfig receiver) {
        DeliveryFailedException e = catchThrowableOfType(DeliveryFailedException.class,
                () -> send(exchangeFor(receiver)));
        assertThat(e).as("delivery should fail").isNotNull();
        assertThat(e.getMessage()).doesNotContain(PASSWORD, receiver.password().reveal());
        assertThat(mail.getReceivedMessages()).isEmpty();
        return e;
    }

    private static MimeMessage theOnlyMessage() {
        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    // --- implicit TLS ---

    @Test
    void implicitTlsWithThePrivateCaOfCaFileDeliversWithAuth() throws Exception {
        send(exchangeFor(receiver(smtps("localhost"), PASSWORD, null, "implicit", caFile)));

        MimeMessage received = theOnlyMessage();
        assertThat(received.getSubject()).isEqualTo("[FIRING:1] HostDown");
        assertThat(received.getFrom()[0].toString()).isEqualTo("relay@example.com");
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<b>firing</b>");
    }

    @Test
    void implicitTlsWithoutCaFileRefusesTheUntrustedCertificateForGood() {
        DeliveryFailedException e = failure(receiver(smtps("localhost"), PASSWORD, null, "implicit", null));
        assertThat(e.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("PKIX path building failed", "ca_file");
    }

    @Test
    void aCertificateIssuedForAnotherNameIsRefusedEvenWhenItsCaIsTrusted() {
        // the certificate names "localhost", not 127.0.0.1: the server's identity is always checked
        DeliveryFailedException e = failure(receiver(smtps("127.0.0.1"), PASSWORD, null, "implicit", caFile));
        assertThat(e.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(e.isRetryable()).isFalse();
        // the name check itself, not a retry with the JVM's CAs alone ("PKIX path building failed")
        assertThat(e.getMessage()).contains("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void wrongPasswordIsAnAuthErrorThatIsNotRetriedAndNotShown() {
        String wrong = "not-the-Pa55word";
        DeliveryFailedException e = failure(receiver(smtps("localhost"), wrong, null, "implicit", caFile));
        assertThat(e.reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).doesNotContain(wrong, USER + ":" + wrong);
    }

    @Test
    void implicitTlsAgainstAPlainServerIsAConfigurationProblem() {
        DeliveryFailedException e = failure(receiver(plain(), PASSWORD, null, "implicit", caFile));
        assertThat(e.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(e.isRetryable()).isFalse();
    }

    // --- STARTTLS ---

    @Test
    void requiredStartTlsThatTheServerDoesNotOfferSendsNothingInClear() {
        // GreenMail's SMTP does not offer STARTTLS; not on port 465, so STARTTLS is the default
        DeliveryFailedException e = failure(receiver(plain(), PASSWORD, null, null, caFile));
        assertThat(e.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("STARTTLS");
    }

    @Test
    void requireTlsFalseDeliversWithoutStartTlsWhenTheServerHasNone() throws Exception {
        send(exchangeFor(receiver(plain(), PASSWORD, false, null, null)));

        MimeMessage received = theOnlyMessage();
        assertThat(received.getSubject()).isEqualTo("[FIRING:1] HostDown");
        assertThat(received.getContentType()).startsWith("multipart/alternative");
    }

    @Test
    void wrongPasswordWithoutTlsIsAnAuthErrorToo() {
        DeliveryFailedException e = failure(receiver(plain(), "wrong-Pa55", false, null, null));
        assertThat(e.reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void aReceiverChangedByAReloadIsSentWithItsNewSettingsAndTheOldSenderIsDropped() throws Exception {
        failure(receiver(plain(), "wrong-Pa55", false, null, null));
        send(exchangeFor(receiver(plain(), PASSWORD, false, null, null)));   // the same name, fixed

        assertThat(theOnlyMessage().getSubject()).isEqualTo("[FIRING:1] HostDown");
        assertThat(notifier.cachedSenders()).as("one sender per receiver name").isEqualTo(1);
    }

    // --- the session: what cannot be seen through GreenMail ---

    @Test
    void startTlsUsesTheCaFileAndChecksTheServerName() {
        Properties props = notifier.sessionProperties(receiver("smtp.example.com:587", PASSWORD, null, null, caFile));
        assertThat(props.get("mail.smtp.ssl.socketFactory")).isInstanceOf(SSLSocketFactory.class);
        assertThat(props.getProperty("mail.smtp.socketFactory.fallback")).isEqualTo("false");
        assertThat(props.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
        assertThat(props.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
        assertThat(props.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
        assertThat(props.getProperty("mail.smtp.auth")).isEqualTo("true");
        assertThat(props.stringPropertyNames()).noneMatch(key -> key.contains("ssl.trust"));
    }

    @Test
    void port465MeansImplicitTlsUnlessSmtpTlsSaysOtherwise() {
        Properties implicit = notifier.sessionProperties(receiver("smtp.example.com:465", PASSWORD, null, null, null));
        assertThat(implicit.stringPropertyNames()).allMatch(key -> key.startsWith("mail.smtps."))
                .doesNotContain("mail.smtps.starttls.enable")
                .contains("mail.smtps.ssl.checkserveridentity")
                .noneMatch(key -> key.contains("ssl.trust") || key.contains("socketFactory"));

        Properties startTls = notifier.sessionProperties(
                receiver("smtp.example.com:465", PASSWORD, false, "starttls", null));
        assertThat(startTls.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
        assertThat(startTls.getProperty("mail.smtp.starttls.required")).isEqualTo("false");
    }

    @Test
    void aCaFileThatBecameUnreadableIsAConfigurationProblem() throws Exception {
        Path gone = Files.createTempFile(dir, "gone", ".pem");
        Files.delete(gone);
        DeliveryFailedException e = failure(receiver(smtps("localhost"), PASSWORD, null, "implicit", gone));
        assertThat(e.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(e.getMessage()).contains("ca_file", gone.toString());
    }
}
