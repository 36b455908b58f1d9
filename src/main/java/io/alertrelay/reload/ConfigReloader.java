package io.alertrelay.reload;

import io.alertrelay.RelayProperties;
import io.alertrelay.config.ConfigBeans;
import io.alertrelay.config.ConfigException;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.routing.Router;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateRenderer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Applies edits of the receivers/routing file and of the templates on a running relay, all or
 * nothing: the new files are loaded and validated together (every template parses, every receiver's
 * templates exist, the configuration is valid), and only then swapped in. A broken edit leaves the
 * previous version serving, and its error (file, line, problem) shows in the log, in
 * {@code /api/v1/status} and as {@code relay_config_last_reload_successful 0}.
 */
public class ConfigReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final RelayProperties properties;
    private final Environment environment;
    private final Router router;
    private final NotificationRenderer renderer;
    private final Clock clock;
    private final MeterRegistry registry;
    private volatile String fingerprint;
    private volatile ReloadStatus last;
    private volatile ConfigVersion applied;

    public ConfigReloader(RelayProperties properties, Environment environment, Router router,
                          NotificationRenderer renderer, Clock clock, MeterRegistry registry) {
        this.properties = properties;
        this.environment = environment;
        this.router = router;
        this.renderer = renderer;
        this.clock = clock;
        this.registry = registry;
        this.fingerprint = FileFingerprint.of(properties.getConfigFile(), properties.getTemplatesDir());
        this.last = new ReloadStatus(clock.instant(), true, null, "start-up");
        this.applied = new ConfigVersion(fingerprint, last.at());
        Gauge.builder("relay.config.last.reload.successful", this, r -> r.last.success() ? 1 : 0)
                .description("Whether the last configuration reload succeeded").register(registry);
    }

    /** Reloads when a watched file changed (content, not timestamps: a ConfigMap swap changes the symlinks). */
    public void reloadIfChanged() {
        String now = FileFingerprint.of(properties.getConfigFile(), properties.getTemplatesDir());
        if (!now.equals(fingerprint)) {
            reload("file change");
        }
    }

    public synchronized ReloadStatus reload(String trigger) {
        String seen = FileFingerprint.of(properties.getConfigFile(), properties.getTemplatesDir());
        try {
            TemplateRenderer templates = new TemplateRenderer(properties.getTemplatesDir()).loadAll();
            Messages messages = new Messages(templates.directory());
            messages.forLanguage(properties.getLanguage());
            RelayConfig config = ConfigBeans.load(properties.getConfigFile(), environment, templates, renderer.channels());
            renderer.use(templates, messages);
            router.install(config);
            last = new ReloadStatus(clock.instant(), true, null, trigger);
            applied = new ConfigVersion(seen, last.at());
            count("success");
            LOG.info("configuration reloaded ({}): {} receiver(s), {} route(s){}", trigger, config.receivers().size(),
                    config.route().routes().size(), (Files.exists(properties.getConfigFile()) ? "" : " (embedded defaults)")
                    + ", templates from " + templates.location());
        } catch (ConfigException | IllegalArgumentException e) {
            last = new ReloadStatus(clock.instant(), false, e.getMessage(), trigger);
            count("failure");
            LOG.error("configuration reload ({}) rejected, the previous version keeps serving: {}", trigger, e.getMessage());
        } finally {
            fingerprint = seen; // a broken version is reported once, not on every look
        }
        return last;
    }

    public ReloadStatus lastStatus() {
        return last;
    }

    /** The version being served (a rejected edit leaves the previous one): shown to the other replicas. */
    public ConfigVersion applied() {
        return applied;
    }

    private void count(String result) {
        Counter.builder("relay.config.reloads").description("Configuration reloads, by result")
                .tag("result", result).register(registry).increment();
    }
}
