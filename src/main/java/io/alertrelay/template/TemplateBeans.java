package io.alertrelay.template;

import io.alertrelay.RelayProperties;
import io.alertrelay.action.ActionLinks;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class TemplateBeans {

    @Bean
    TemplateRenderer templateRenderer(RelayProperties properties) {
        return new TemplateRenderer(properties.getTemplatesDir()).loadAll();
    }

    @Bean
    NotificationRenderer notificationRenderer(RelayProperties properties, TemplateRenderer templates, Clock clock,
                                              io.alertrelay.notify.Channels channels, ActionLinks actionLinks) {
        Messages messages = new Messages(templates.directory());
        messages.forLanguage(properties.getLanguage()); // fail at start-up on an unknown language
        return new NotificationRenderer(templates, messages,
                new TemplateModel(new TimeFormat(properties.getTimeZone()), properties.getMaxAlertsPerMessage(), actionLinks),
                properties.getLanguage(), clock, properties.getExternalUrl(), channels);
    }
}
