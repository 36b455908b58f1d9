package io.alertrelay.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.alertrelay.config.EmbeddedDefaults;
import io.alertrelay.config.MountedFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies edits of {@code routes/*.yaml} on a running relay, file by file, all or nothing: the
 * changed files are parsed and checked first (YAML, every route with an id, every endpoint's
 * component known, every bean it calls defined), and only then are their old routes removed and the
 * new ones added; if adding fails, the old routes come back. Camel's own reload leaves the relay
 * with no routes when a file fails to parse, and misses Kubernetes' ConfigMap swaps.
 *
 * <p>An edit that removes an HTTP endpoint ({@code platform-http}) is not applied: Camel 4.18 does
 * not unregister a removed route's HTTP mapping (the path would answer 500), so it is reported as
 * needing a restart (the Kubernetes manifests restart the pod when the routes ConfigMap changes).
 * Adding or changing HTTP routes works.
 *
 * <p>When the directory did not exist at start-up, the relay runs the routes packed into the jar
 * ({@link EmbeddedDefaults}) and there is nothing to watch; a directory created later is reported as
 * needing a restart (its routes would collide with the running ones).
 */
public class RoutesReloader {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesReloader.class);
    private static final java.util.regex.Pattern HTTP_ENDPOINT =
            java.util.regex.Pattern.compile("platform-http:([^\\s?\"']+)");

    private final CamelContext camel;
    private final Path directory;
    private final boolean embedded;
    private final Clock clock;
    private final MeterRegistry registry;
    private Map<String, String> applied;
    private Map<String, String> rejected = Map.of();
    private volatile ReloadStatus last;

    public RoutesReloader(CamelContext camel, Path directory, Clock clock, MeterRegistry registry) {
        this.camel = camel;
        this.directory = directory;
        this.embedded = EmbeddedDefaults.replace(directory);
        this.clock = clock;
        this.registry = registry;
        this.applied = read();
        if (embedded) {
            LOG.info("no {} directory: the routes packed into the jar serve", directory);
        }
        this.last = new ReloadStatus(clock.instant(), true, null, "start-up");
        Gauge.builder("relay.routes.last.reload.successful", this, r -> r.last.success() ? 1 : 0)
                .description("Whether the last reload of routes/ succeeded").register(registry);
    }

    public ReloadStatus lastStatus() {
        return last;
    }

    public synchronized void reloadIfChanged() {
        if (embedded) {
            reportDirectoryAppeared("file change");
            return;
        }
        Map<String, String> now = read();
        if (now.equals(applied)) {
            if (!last.success()) {
                // the files are back to the running version: nothing is pending any more
                last = new ReloadStatus(clock.instant(), true, null, "file change");
            }
        } else if (!now.equals(rejected)) {
            reload("file change");
        }
    }

    public synchronized ReloadStatus reload(String trigger) {
        if (embedded) {
            return reportDirectoryAppeared(trigger);
        }
        Map<String, String> now = read();
        Set<String> touched = new HashSet<>(now.keySet());
        touched.addAll(applied.keySet());
        touched.removeIf(name -> Objects.equals(now.get(name), applied.get(name)));
        if (touched.isEmpty()) {
            return last;
        }
        try {
            Set<String> removedPaths = httpPaths(applied.values());
            removedPaths.removeAll(httpPaths(now.values()));
            if (!removedPaths.isEmpty()) {
                throw new RouteProblem(String.join(", ", touched), "removes the HTTP endpoint(s) " + removedPaths
                        + ": restart the relay to apply this (Camel 4.18 cannot unregister an HTTP mapping)");
            }
            Map<String, List<RoutesBuilder>> parsed = new HashMap<>();
            for (String name : touched) {
                if (now.containsKey(name)) {
                    parsed.put(name, parseAndCheck(name, now.get(name)));
                }
            }
            swap(touched, parsed);
            applied = now;
            rejected = Map.of();
            last = new ReloadStatus(clock.instant(), true, null, trigger);
            count("success");
            LOG.info("routes reloaded ({}): {}", trigger, touched);
        } catch (RouteProblem e) {
            last = new ReloadStatus(clock.instant(), false, e.getMessage(), trigger);
            count("failure");
            LOG.error("routes reload ({}) rejected, the previous routes keep serving: {}", trigger, e.getMessage());
            rejected = now; // reported once, not on every look
        }
        return last;
    }

    private ReloadStatus reportDirectoryAppeared(String trigger) {
        if (last.success() && !EmbeddedDefaults.replace(directory)) {
            last = new ReloadStatus(clock.instant(), false, directory + " appeared after start-up, while the routes"
                    + " packed into the jar serve: restart the relay to use it", trigger);
            count("failure");
            LOG.error("routes reload ({}) not applied: {}", trigger, last.error());
        }
        return last;
    }

    private void count(String result) {
        Counter.builder("relay.routes.reloads").description("Reloads of routes/, by result")
                .tag("result", result).register(registry).increment();
    }

    private List<RoutesBuilder> parseAndCheck(String name, String yaml) {
        Resource resource = ResourceHelper.fromString("file:" + directory.resolve(name), yaml);
        List<RoutesBuilder> builders;
        try {
            builders = new ArrayList<>(PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource)));
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    for (RouteDefinition route : routeBuilder.configureRoutes(camel).getRoutes()) {
                        check(name, route);
                    }
                }
            }
        } catch (RouteProblem e) {
            throw e;
        } catch (Exception e) {
            throw new RouteProblem(name, firstLine(e.getMessage()) + whereInFile(e));
        }
        return builders;
    }

    private void check(String file, RouteDefinition route) {
        if (route.getRouteId() == null) {
            throw new RouteProblem(file, "every route needs an id");
        }
        checkUri(file, route.getRouteId(), route.getInput().getEndpointUri());
        checkOutputs(file, route.getRouteId(), route.getOutputs());
    }

    private void checkOutputs(String file, String routeId, List<? extends NamedNode> outputs) {
        for (NamedNode node : outputs) {
            if (node instanceof SendDefinition<?> send) {
                checkUri(file, routeId, send.getEndpointUri());
            } else if (node instanceof ToDynamicDefinition dynamic) {
                checkUri(file, routeId, dynamic.getUri());
            } else if (node instanceof BeanDefinition bean && bean.getRef() != null
                    && camel.getRegistry().lookupByName(bean.getRef()) == null) {
                throw new RouteProblem(file, "route '" + routeId + "' calls bean '" + bean.getRef() + "', which does not exist");
            }
            if (node instanceof ProcessorDefinition<?> processor) {
                checkOutputs(file, routeId, processor.getOutputs());
            }
        }
    }

    private void checkUri(String file, String routeId, String uri) {
        if (uri == null || uri.startsWith("${")) {
            return;
        }
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        if (!scheme.contains("$") && camel.getComponent(scheme, true) == null) {
            throw new RouteProblem(file, "route '" + routeId + "' uses unknown component '" + scheme + "' (" + uri + ")");
        }
    }

    private void swap(Set<String> touched, Map<String, List<RoutesBuilder>> parsed) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> old = model.getRouteDefinitions().stream()
                .filter(r -> r.getResource() != null && touched.contains(fileName(r.getResource().getLocation())))
                .toList();
        // the files' route configurations (error handling) are replaced with them: Camel refuses a second one with the same id
        List<RouteConfigurationDefinition> oldConfigurations = model.getRouteConfigurationDefinitions().stream()
                .filter(c -> c.getResource() != null && touched.contains(fileName(c.getResource().getLocation())))
                .toList();
        try {
            model.removeRouteDefinitions(old);
            for (RouteConfigurationDefinition configuration : oldConfigurations) {
                model.removeRouteConfiguration(configuration);
            }
            for (List<RoutesBuilder> builders : parsed.values()) {
                for (RoutesBuilder builder : builders) {
                    if (builder instanceof RouteConfigurationBuilder configurations) {
                        configurations.updateRouteConfigurationsToCamelContext(camel); // replaces those with the same id
                    } else if (builder instanceof RouteConfigurationsBuilder configurations) {
                        configurations.addRouteConfigurationsToCamelContext(camel);
                    }
                }
                for (RoutesBuilder builder : builders) {
                    camel.addRoutes(builder);
                }
            }
        } catch (Exception e) {
            restore(model, old, oldConfigurations);
            throw new RouteProblem(String.join(", ", touched), "could not start the new routes, the previous ones are back: "
                    + firstLine(e.getMessage()));
        }
    }

    private static void restore(Model model, Collection<RouteDefinition> old, List<RouteConfigurationDefinition> configurations) {
        try {
            for (RouteConfigurationDefinition configuration : configurations) {
                if (model.getRouteConfigurationDefinition(configuration.getId()) == null) {
                    model.addRouteConfiguration(configuration);
                }
            }
            // routes the failed attempt managed to add are taken out before the old ones return
            model.removeRouteDefinitions(model.getRouteDefinitions().stream()
                    .filter(r -> old.stream().anyMatch(o -> o.getRouteId().equals(r.getRouteId()))).toList());
            model.addRouteDefinitions(old);
        } catch (Exception e) {
            LOG.error("could not restore the previous routes: {}", e.getMessage());
        }
    }

    private Map<String, String> read() {
        Map<String, String> files = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try {
            for (Path file : MountedFiles.in(directory)) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yaml")) {
                    files.put(name, Files.readString(file));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", directory, e.getMessage());
            return applied == null ? files : applied;
        }
        return files;
    }

    /** The platform-http paths the route files serve. */
    private static Set<String> httpPaths(Collection<String> files) {
        Set<String> paths = new HashSet<>();
        for (String yaml : files) {
            java.util.regex.Matcher m = HTTP_ENDPOINT.matcher(yaml);
            while (m.find()) {
                paths.add(m.group(1));
            }
        }
        return paths;
    }

    private static String fileName(String location) {
        String path = location.startsWith("file:") ? location.substring(5) : location;
        return Path.of(path).getFileName().toString();
    }

    private static String whereInFile(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains(", line ")) {
                int at = message.indexOf(" line ");
                return " (" + message.substring(at + 1, Math.min(message.length(), message.indexOf(':', at) < 0
                        ? message.length() : message.indexOf(':', at))).trim() + ")";
            }
        }
        return "";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static final class RouteProblem extends RuntimeException {
        RouteProblem(String file, String problem) {
            super(file + ": " + problem);
        }
    }
}
