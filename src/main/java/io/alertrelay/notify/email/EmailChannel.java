package io.alertrelay.notify.email;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Markup;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.template.Escaping;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.spi.Registry;
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
 * Email over SMTP, sent by camel-mail from the send route: implicit TLS on port 465 or with
 * {@code smtp_tls: implicit}, otherwise STARTTLS (required unless {@code require_tls: false});
 * certificates always verified, with the CAs of {@code ca_file} trusted besides the JVM's. A
 * {@code multipart/alternative} of text and HTML, composed by {@link #prepare}; the smtp endpoint
 * of each receiver sends it with that receiver's sender (session, TLS, credentials).
 */
public class EmailChannel implements Channel {

    public static final ReceiverType TYPE = ReceiverType.EMAIL;
    private static final Pattern HOST_PORT = Pattern.compile("[^:\\s]+:\\d{1,5}");
    private static final List<String> SMTP_TLS = List.of(ReceiverConfig.SMTP_TLS_IMPLICIT, ReceiverConfig.SMTP_TLS_STARTTLS);

    /** One sender per receiver name, replaced when a reload changes the receiver (not one per version). */
    private final Map<String, CachedSender> senders = new ConcurrentHashMap<>();
    /** Numbers each sender's bean, so that a changed receiver always gets a new endpoint (a hash could repeat). */
    private final java.util.concurrent.atomic.AtomicLong versions = new java.util.concurrent.atomic.AtomicLong();
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Clock clock;
    private final RateLimit rateLimit;
    private final Registry registry;

    /**
     * @param ratePerMinute the relay's limit for every email receiver ({@code relay.delivery.email-rate-per-minute}, 0: none)
     * @param registry      where each receiver's sender is bound for its smtp endpoint
     */
    public EmailChannel(Duration connectTimeout, Duration readTimeout, Clock clock, int ratePerMinute, Registry registry) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.clock = clock;
        this.rateLimit = new RateLimit(0, ratePerMinute);
        this.registry = registry;
    }

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("html");
    }

    @Override
    public String defaultFormat() {
        return "html";
    }

    @Override
    public RateLimit rateLimit() {
        return rateLimit;
    }

    @Override
    public Markup markup(String format) {
        return Escaping.HTML;
    }

    @Override
    public String template(Kind kind, String format) {
        return switch (kind) {
            case GROUP -> "email-body.html.vm";
            case DIGEST -> "email-digest.html.vm";
            case SUMMARY -> "email-summary.html.vm";
        };
    }

    @Override
    public MessageParts parts() {
        return new MessageParts("email-subject.txt.vm", "email-body.txt.vm", "email-digest.txt.vm", "email-summary.txt.vm");
    }

    /**
     * The receiver's smtp endpoint: its sender is bound under a name of this version of the receiver,
     * so that a reload that changes it gets a new endpoint (an endpoint keeps the sender it was made with).
     */
    @Override
    public String endpoint(ReceiverConfig receiver) {
        String[] hostPort = receiver.smarthost().split(":");
        return protocol(receiver) + "://" + hostPort[0] + ":" + hostPort[1] + "?javaMailSender=#" + sender(receiver).beanName();
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ReceiverConfig receiver = message.notification().receiver();
        exchange.getMessage().removeHeaders("*", "CamelRedelivery*");   // camel-mail would take headers for mail headers
        try {
            exchange.getMessage().setBody(compose(sender(receiver).sender().getSession(), message, clock));
        } catch (MessagingException e) {
            throw classify(e);
        }
    }

    /** Sent is sent: an SMTP server that refuses says so with an error, read by {@link #failure}. */
    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        String id = exchange.getMessage().getHeader(org.apache.camel.component.mail.MailConstants.MAIL_MESSAGE_ID, String.class);
        exchange.getMessage().setBody("accepted by the SMTP server" + (id == null ? "" : ", Message-ID " + id));
    }

    @Override
    public DeliveryFailedException failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof MessagingException e) {
                return classify(e);
            }
        }
        return null;
    }

    private CachedSender sender(ReceiverConfig receiver) {
        return senders.compute(receiver.name(), (name, cached) -> {
            if (cached != null && cached.receiver().equals(receiver)) {
                return cached;
            }
            if (cached != null) {
                registry.unbind(cached.beanName());
            }
            CachedSender fresh = new CachedSender(receiver, senderFor(receiver),
                    "relayMail-" + name + "-" + versions.incrementAndGet());
            registry.bind(fresh.beanName(), JavaMailSender.class, fresh.sender());
            return fresh;
        });
    }

    @Override
    public void check(ReceiverConfig r, String at, String what, List<RelayConfigValidator.Problem> problems) {
        if (r.to().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "'to' needs at least one address"));
        }
        for (int i = 0; i < r.to().size(); i++) {
            if (!r.to().get(i).contains("@")) {
                problems.add(new RelayConfigValidator.Problem(at + "/to/" + i, what + "'" + r.to().get(i) + "' is not an email address"));
            }
        }
        if (r.from() == null || !r.from().contains("@")) {
            problems.add(new RelayConfigValidator.Problem(at, what + "'from' needs an email address"));
        }
        if (r.smarthost() == null || !HOST_PORT.matcher(r.smarthost()).matches()) {
            problems.add(new RelayConfigValidator.Problem(at + (r.smarthost() == null ? "" : "/smarthost"),
                    what + "'smarthost' must be host:port"));
        }
        if (r.username().isEmpty() != r.password().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "'username' and 'password' go together"));
        }
        if (r.smtpTls() != null && !SMTP_TLS.contains(r.smtpTls())) {
            problems.add(new RelayConfigValidator.Problem(at + "/smtp_tls", what + "smtp_tls '" + r.smtpTls() + "' is not one of "
                    + SMTP_TLS));
        }
        if (r.caFile() != null) {
            checkCaFile(r.caFile(), at + "/ca_file", what, problems);
        }
    }

    /** Read as the sender reads it, so that a file that passes here is one it can use. */
    private static void checkCaFile(String caFile, String at, String what, List<RelayConfigValidator.Problem> problems) {
        String file = what + "ca_file '" + caFile + "'";
        try {
            Path path = Path.of(caFile);
            if (!Files.isRegularFile(path)) {
                problems.add(new RelayConfigValidator.Problem(at, file + " does not exist or is not a file"
                        + (path.isAbsolute() ? "" : " (looked for " + path.toAbsolutePath() + ")")));
            } else if (SmtpTrust.certificates(path).isEmpty()) {
                problems.add(new RelayConfigValidator.Problem(at, file + " holds no PEM certificate"));
            }
        } catch (InvalidPathException | IOException e) {
            problems.add(new RelayConfigValidator.Problem(at, file + " cannot be read: " + e.getMessage()));
        } catch (CertificateException e) {
            problems.add(new RelayConfigValidator.Problem(at, file + " holds no PEM certificate: " + e.getMessage()));
        }
    }

    /** How many senders are kept (tests: reloads must not pile them up). */
    int cachedSenders() {
        return senders.size();
    }

    private record CachedSender(ReceiverConfig receiver, JavaMailSender sender, String beanName) {
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

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return EmailPreview.show(format, body);
    }
}
