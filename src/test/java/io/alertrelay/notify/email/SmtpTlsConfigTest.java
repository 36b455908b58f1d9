package io.alertrelay.notify.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.alertrelay.config.ConfigException;
import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code smtp_tls} and {@code ca_file} settings as ops write them, and the problems reported for them. */
class SmtpTlsConfigTest {

    @TempDir
    Path dir;

    private final RelayConfigLoader loader = new RelayConfigLoader(
            new PlaceholderResolver(Map.of("SMTP_CA", "/nowhere/ca.pem")::get), new RelayConfigValidator(name -> { }, io.alertrelay.testing.TestChannels.all().all()));

    private static String mail(String extra) {
        return """
                receivers:
                  - name: mail
                    type: email
                    to: [ops@example.com]
                    from: relay@example.com
                    smarthost: smtp.example.com:2465
                """ + extra.indent(4);
    }

    private ConfigException failure(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("relay.yaml", yaml));
        assertThat(e).as("must be rejected").isNotNull();
        return e;
    }

    /** Any CA the JVM trusts, written as PEM: a real certificate without a test resource. */
    private Path pemFile(String before) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        X509Certificate ca = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
        String pem = before + "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(dir.resolve("ca.pem"), pem);
    }

    @Test
    void smtpTlsAndCaFileAreRead() throws Exception {
        Path ca = pemFile("subject=CN=what openssl writes before a certificate\n");
        ReceiverConfig mail = loader.parse("relay.yaml", mail("smtp_tls: implicit\nca_file: " + ca)).receivers().get(0);
        assertThat(mail.smtpTls()).isEqualTo("implicit");
        assertThat(mail.implicitTls()).isTrue();
        assertThat(mail.caFile()).isEqualTo(ca.toString());
        assertThat(SmtpTrust.certificates(ca)).hasSize(1);
        assertThat(SmtpTrust.socketFactory(ca)).isNotNull();
    }

    @Test
    void withoutSmtpTlsOnlyPort465IsImplicit() {
        assertThat(loader.parse("relay.yaml", mail("")).receivers().get(0).implicitTls()).isFalse();
        assertThat(loader.parse("relay.yaml", mail("").replace(":2465", ":465")).receivers().get(0).implicitTls())
                .isTrue();
        assertThat(loader.parse("relay.yaml", mail("smtp_tls: starttls").replace(":2465", ":465"))
                .receivers().get(0).implicitTls()).isFalse();
    }

    @Test
    void unknownSmtpTlsIsRejectedAtItsLine() {
        ConfigException e = failure(mail("smtp_tls: ssl"));
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("receiver 'mail'", "smtp_tls 'ssl'", "implicit", "starttls");
    }

    @Test
    void missingCaFileIsRejectedNamingReceiverAndFile() {
        ConfigException e = failure(mail("require_tls: true\nca_file: ${SMTP_CA}"));
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.getMessage()).contains("receiver 'mail'", "ca_file '/nowhere/ca.pem'", "does not exist");
    }

    @Test
    void caFileWithoutACertificateIsRejected() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThat(failure(mail("ca_file: " + empty)).getMessage())
                .contains("receiver 'mail'", "ca_file '" + empty + "'", "holds no PEM certificate");

        Path key = Files.writeString(dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n");
        ConfigException e = failure(mail("ca_file: " + key));
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("ca_file '" + key + "'", "holds no PEM certificate");
    }

    @Test
    void aDirectoryIsNotACaFile() {
        assertThat(failure(mail("ca_file: " + dir)).getMessage()).contains("does not exist or is not a file");
    }
}
