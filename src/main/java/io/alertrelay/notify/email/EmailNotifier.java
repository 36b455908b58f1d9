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
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.apache.camel.component.mail.JavaMailSender;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Email over SMTP with camel-mail's sender: implicit TLS on port 465, otherwise STARTTLS (required
 * unless {@code require_tls: false}); a {@code multipart/alternative} of text and HTML.
 */
public class EmailNotifier {

    private final Map<ReceiverConfig, JavaMailSender> senders = new ConcurrentHashMap<>();
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
        JavaMailSender sender = senders.computeIfAbsent(receiver, this::senderFor);
        try {
            sender.send(compose(sender.getSession(), message, clock));
        } catch (MessagingException e) {
            throw classify(e);
        }
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
        int port = Integer.parseInt(hostPort[1]);
        String protocol = port == 465 ? "smtps" : "smtp";
        Properties props = new Properties();
        String p = "mail." + protocol + ".";
        props.setProperty(p + "connectiontimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty(p + "timeout", Long.toString(readTimeout.toMillis()));
        props.setProperty(p + "writetimeout", Long.toString(readTimeout.toMillis()));
        props.setProperty(p + "ssl.checkserveridentity", "true");
        if (protocol.equals("smtp")) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", Boolean.toString(receiver.tlsRequired()));
        }
        DefaultJavaMailSender sender = new DefaultJavaMailSender();
        sender.setHost(hostPort[0]);
        sender.setPort(port);
        sender.setProtocol(protocol);
        sender.setJavaMailProperties(props);
        if (!receiver.username().isEmpty()) {
            props.setProperty(p + "auth", "true");
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

    /** SMTP 4xx and network trouble are worth retrying; 5xx, rejected addresses and bad credentials are not. */
    static DeliveryFailedException classify(MessagingException e) {
        String what = "SMTP: " + e.getMessage();
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
        if (cause instanceof IOException) {
            return new DeliveryFailedException(FailureReason.SERVER_ERROR, what);
        }
        // e.g. STARTTLS required but not offered: a configuration problem, not a passing one
        return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
    }
}
