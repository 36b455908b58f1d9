package io.alertrelay.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * The routes and templates packed into the jar ({@code classpath:routes/}, {@code classpath:templates/},
 * from the repository's routes/ and templates/ by the pom), so that the jar runs from any directory:
 * a directory that exists ({@code relay.routes-dir}, {@code relay.templates-dir}) replaces the
 * embedded set as a whole and is watched for edits; one that does not exist leaves the embedded set.
 *
 * <p>As an {@link EnvironmentPostProcessor} it points {@code camel.main.routes-include-pattern} (through
 * {@code relay.routes-location}, see application.properties) at the directory or at the jar, decided
 * once at start-up when Camel reads it: Camel reads its routes before any bean of ours exists.
 */
public final class EmbeddedDefaults implements EnvironmentPostProcessor, Ordered {

    public static final String ROUTES = "routes/";
    public static final String TEMPLATES = "templates/";

    /** Whether the embedded copies apply instead of this directory (it does not exist). */
    public static boolean replace(Path directory) {
        return !Files.isDirectory(directory);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // last: the lowest precedence, so that an explicitly set relay.routes-location still wins
        environment.getPropertySources().addLast(new RoutesLocation(environment));
    }

    /**
     * {@code relay.routes-location}, worked out when it is read (Camel reads it once, at start-up),
     * so that every source of {@code relay.routes-dir} counts, also those added after this processor ran.
     */
    private static final class RoutesLocation extends PropertySource<Object> {

        // not the source: Spring Boot would walk into an environment given as a source, and find this again
        private final ConfigurableEnvironment environment;

        RoutesLocation(ConfigurableEnvironment environment) {
            super("relay-routes-location");
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            if (!"relay.routes-location".equals(name)) {
                return null;
            }
            Path routes = Path.of(environment.getProperty("relay.routes-dir", "routes"));
            return replace(routes) ? "classpath:" + ROUTES + "*.yaml" : "file:" + routes + "/*.yaml";
        }
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1; // after application.properties and the arguments are read
    }
}
