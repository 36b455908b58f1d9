package io.alertrelay.notify.log;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.Markup;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.template.Escaping;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The receiver of the embedded defaults: the rendered notification goes to the log (camel-log,
 * the body alone), so a first curl shows what would be sent. No limits.
 */
public class LogChannel implements Channel {

    public static final ReceiverType TYPE = ReceiverType.LOG;

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("text");
    }

    @Override
    public String defaultFormat() {
        return "text";
    }

    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        // nothing to reach
    }

    @Override
    public RateLimit rateLimit() {
        return RateLimit.NONE;
    }

    @Override
    public Markup markup(String format) {
        return Escaping.LOG;
    }

    @Override
    public String template(Kind kind, String format) {
        return switch (kind) {
            case GROUP -> "log.txt.vm";
            case DIGEST -> "log-digest.txt.vm";
            case SUMMARY -> "log-summary.txt.vm";
        };
    }

    @Override
    public String endpoint(ReceiverConfig receiver) {
        return "log:io.alertrelay.notify.log?plain=true&maxChars=0";   // the whole message, however long
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        exchange.getMessage().removeHeaders("*", "CamelRedelivery*");
        exchange.getMessage().setBody("notification for receiver '" + message.receiverName() + "':\n" + message.body());
    }

    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        // a log line has no answer
    }
}
