package io.alertrelay.notify.email;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates an SMTP receiver trusts: the JVM's default CAs plus those of its {@code ca_file},
 * for a mail server whose certificate comes from a private CA. Trust is only ever added to, never
 * switched off: the certificate chain is still validated, and the server's name is checked by Jakarta
 * Mail ({@code ssl.checkserveridentity}).
 */
public final class SmtpTrust {

    private SmtpTrust() {
    }

    /**
     * The certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks). Shared with the
     * configuration check, so a file that passes it is one the sender can use.
     */
    public static List<X509Certificate> certificates(Path pemFile) throws IOException, CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pemFile)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        }
        return certificates;
    }

    /** A socket factory for implicit TLS and for STARTTLS that trusts the default CAs and those of {@code caFile}. */
    public static SSLSocketFactory socketFactory(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int n = 0;
        // a trust store replaces the default one rather than adding to it: copy the default CAs in first
        for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
            anchors.setCertificateEntry("default-" + n++, ca);
        }
        for (X509Certificate ca : certificates(caFile)) {
            anchors.setCertificateEntry("ca-file-" + n++, ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls.getSocketFactory();
    }

    /** The JVM's trust manager: its cacerts, or the store named by {@code javax.net.ssl.trustStore}. */
    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
