package io.alertrelay.notify.email;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.OutgoingMessage;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailAuthenticator;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Email over SMTP with camel-mail's sender: implicit TLS on port 465 or with {@code smtp_tls: implicit},
 * otherwise STARTTLS (required unless {@code require_tls: false}); certificates always verified, with
 * the CAs of {@code ca_file} trusted besides the JVM's. A {@code multipart/alternative} of text and HTML.
 */
public class EmailNotifier {

    /** One sender per receiver name, replaced when a reload changes the receiver (not one per version). */
    private final Map<String, CachedSender> senders = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Clock clock;

    public EmailNotifier(Duration connectTimeout, Duration readTimeout, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    public void send(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
        ReceiverConfig receiver = message.notification().receiver();
        JavaMailSender sender = senders.compute(receiver.name(), (name, cached) -> cached != null && cached.receiver().equals(receiver)
                ? cached : new CachedSender(receiver, senderFor(receiver))).sender();
        try {
            sender.send(compose(sender.getSession(), message, clock));
        } catch (MessagingException e) {
            throw classify(e);
        }
    }

    /** How many senders are kept (tests: reloads must not pile them up). */
    int cachedSenders() {
        return senders.size();
    }

    private record CachedSender(ReceiverConfig receiver, JavaMailSender sender) {
    }

    static MimeMessage compose(Session session, OutgoingMessage message, Clock clock) throws MessagingException {
        ReceiverConfig receiver = message.notification().receiver();
        MimeMessage mime = new MimeMessage(session);
        mime.setFrom(new InternetAddress(receiver.from()));
        for (String to : receiver.to()) {
            mime.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        mime.setSubject(message.subject(), "UTF-8");
        mime.setSentDate(Date.from(clock.instant()));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(message.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(message.body(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);   // the least preferred part comes first (RFC 2046)
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges(); // sets Message-ID
        return mime;
    }

    private JavaMailSender senderFor(ReceiverConfig receiver) {
        String[] hostPort = receiver.smarthost().split(":");
        DefaultJavaMailSender sender = new DefaultJavaMailSender();
        sender.setHost(hostPort[0]);
        sender.setPort(Integer.parseInt(hostPort[1]));
        sender.setProtocol(protocol(receiver));
        sender.setJavaMailProperties(sessionProperties(receiver));
        if (!receiver.username().isEmpty()) {
            sender.setUsername(receiver.username().reveal());
            sender.setPassword(receiver.password().reveal());
            sender.setAuthenticator(new MailAuthenticator() {
                @Override
                public jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                    return new jakarta.mail.PasswordAuthentication(receiver.username().reveal(), receiver.password().reveal());
                }
            });
        }
        return sender;
    }

    private static String protocol(ReceiverConfig receiver) {
        return receiver.implicitTls() ? "smtps" : "smtp";
    }

    /**
     * The Jakarta Mail session of a receiver. TLS is verified in both modes: the chain against the
     * trusted CAs and the server's name against its certificate. There is deliberately no
     * {@code ssl.trust}: it would accept any certificate of the hosts it names.
     */
    Properties sessionProperties(ReceiverConfig receiver) {
        String p = "mail." + protocol(receiver) + ".";
        Properties props = new Properties();
        props.setProperty(p + "connectiontimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty(p + "timeout", Long.toString(readTimeout.toMillis()));
        props.setProperty(p + "writetimeout", Long.toString(readTimeout.toMillis()));
        props.setProperty(p + "ssl.checkserveridentity", "true");
        if (receiver.caFile() != null) {
            // an object, not a class name: Jakarta Mail uses it for smtps and for STARTTLS alike
            props.put(p + "ssl.socketFactory", socketFactory(receiver));
            // by default a failure with this factory is retried without it, and the retry's error
            // (the JVM's CAs alone: "PKIX path building failed") replaces the real one
            props.setProperty(p + "socketFactory.fallback", "false");
        }
        if (!receiver.implicitTls()) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", Boolean.toString(receiver.tlsRequired()));
        }
        if (!receiver.username().isEmpty()) {
            props.setProperty(p + "auth", "true");
        }
        return props;
    }

    private static SSLSocketFactory socketFactory(ReceiverConfig receiver) {
        try {
            return SmtpTrust.socketFactory(Path.of(receiver.caFile()));
        } catch (IOException | GeneralSecurityException | InvalidPathException e) {
            // the file passed the configuration check, so it changed since; nothing to retry until it is fixed
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR,
                    "SMTP: cannot use ca_file '" + receiver.caFile() + "': " + e);
        }
    }

    /**
     * SMTP 4xx and network trouble are worth retrying; 5xx, rejected addresses, bad credentials and
     * refused TLS (an untrusted certificate, STARTTLS required but not offered) are not.
     */
    static DeliveryFailedException classify(MessagingException e) {
        String what = "SMTP: " + e.getMessage() + because(e.getCause());
        if (e instanceof AuthenticationFailedException) {
            return new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if (e instanceof SMTPSendFailedException smtp) {
            return new DeliveryFailedException(smtp.getReturnCode() >= 500 ? FailureReason.CLIENT_ERROR
                    : FailureReason.SERVER_ERROR, what);
        }
        if (e instanceof SendFailedException) {
            return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        Throwable cause = e.getCause();
        if (cause instanceof InterruptedIOException) {
            return new DeliveryFailedException(FailureReason.TIMEOUT, what);
        }
        if (certificateRefused(cause)) {
            return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what
                    + " (is the certificate issued for the smarthost's name, by a CA the JVM or ca_file trusts?)");
        }
        if (tlsRefused(cause)) {
            return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        if (cause instanceof IOException) {
            return new DeliveryFailedException(FailureReason.SERVER_ERROR, what);
        }
        // e.g. STARTTLS required but not offered: a configuration problem, not a passing one
        return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
    }

    /**
     * Jakarta Mail says what failed ("Could not connect to SMTP host"), its cause says why (refused,
     * timed out, PKIX path building failed): network and TLS errors, which carry no credentials.
     */
    private static String because(Throwable cause) {
        if (cause == null || cause instanceof MessagingException) {
            return "";
        }
        return ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    /** The server's certificate is not trusted or not issued for its name: so it stays until someone acts. */
    private static boolean certificateRefused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A handshake refused by a TLS alert or a message that is not TLS (no common protocol, implicit
     * TLS against a plain port): a configuration problem, although an {@link IOException}. A
     * handshake cut short by the network has the network's exception as its cause and is retried.
     */
    private static boolean tlsRefused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getCause() == null) {
                return true;
            }
        }
        return false;
    }
}
