package io.alertrelay.config;

import io.alertrelay.RelayProperties;
import io.alertrelay.notify.Channels;
import io.alertrelay.routing.Router;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Loads the receivers/routing file at start-up (or the embedded defaults) and checks every template it uses. */
@Configuration(proxyBeanMethods = false)
public class ConfigBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigBeans.class);

    @Bean
    Router router(RelayProperties properties, Environment environment, TemplateRenderer templates, Channels channels) {
        return new Router(load(properties.getConfigFile(), environment, templates, channels));
    }

    /** The configuration file (or the embedded defaults), validated against these templates and channels. */
    public static RelayConfig load(Path file, Environment environment, TemplateRenderer templates, Channels channels) {
        RelayConfigValidator validator = new RelayConfigValidator(templates::check, channels.all());
        RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(environment::getProperty), validator);
        RelayConfig config;
        if (Files.exists(file)) {
            config = loader.load(file);
            LOG.info("loaded {} receiver(s) and {} route(s) from {}", config.receivers().size(),
                    config.route().routes().size(), file);
        } else {
            config = validator.completed(RelayConfig.embeddedDefault());   // each receiver's format set
            LOG.info("no {} found: embedded defaults, every notification goes to the log receiver", file);
        }
        for (ReceiverConfig receiver : config.receivers()) {
            NotificationRenderer.templatesOf(receiver, channels).forEach(templates::check);
        }
        return config;
    }
}
