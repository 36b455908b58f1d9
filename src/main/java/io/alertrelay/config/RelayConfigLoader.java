package io.alertrelay.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the ops-facing receivers/routing file. Every problem is reported with the file, the line and
 * what is wrong: YAML syntax, unknown keys, wrong types, unset placeholders, and the checks of
 * {@link RelayConfigValidator}.
 */
public final class RelayConfigLoader {

    private final ObjectMapper mapper;
    private final PlaceholderResolver placeholders;
    private final RelayConfigValidator validator;

    public RelayConfigLoader(PlaceholderResolver placeholders, RelayConfigValidator validator) {
        this.placeholders = placeholders;
        this.validator = validator;
        this.mapper = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new SimpleModule().addDeserializer(Secret.class, new SecretDeserializer())
                        .addDeserializer(ReceiverType.class, new ReceiverTypeDeserializer()))
                .build();
    }

    public RelayConfig load(Path file) {
        String name = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "cannot read: " + e.getMessage());
        }
        return parse(name, yaml);
    }

    public RelayConfig parse(String name, String yaml) {
        LocationIndex index = locations(name, yaml);
        if (index.isEmpty()) {
            return new RelayConfig(List.of(), null); // an empty or comment-only file: nothing configured yet
        }
        RelayConfig config;
        try {
            config = mapper.readerFor(RelayConfig.class)
                    .withAttribute(PlaceholderResolver.class, placeholders)
                    .readValue(yaml);
        } catch (JsonProcessingException e) {
            throw toConfigException(name, e, index);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, e.getMessage());
        }
        if (config == null) {
            config = new RelayConfig(List.of(), null);
        }
        config = withSettingsResolved(name, config, index);
        List<RelayConfigValidator.Problem> problems = validator.check(config);
        if (!problems.isEmpty()) {
            RelayConfigValidator.Problem first = problems.get(0);
            JsonLocation loc = index.locate(first.pointer());
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s): "
                    + String.join("; ", problems.subList(1, problems.size()).stream()
                            .map(p -> describe(index, p)).toList()) + ")" : "";
            throw new ConfigException(name, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    first.message() + more);
        }
        return validator.completed(config);
    }

    /** The placeholders in the keys only a receiver's channel reads, resolved as the rest of the file's. */
    private RelayConfig withSettingsResolved(String name, RelayConfig config, LocationIndex index) {
        List<ReceiverConfig> receivers = new java.util.ArrayList<>();
        for (int i = 0; i < config.receivers().size(); i++) {
            ReceiverConfig r = config.receivers().get(i);
            if (r.settings().isEmpty()) {
                receivers.add(r);
                continue;
            }
            for (String key : r.settings().keys()) {
                try {
                    new ReceiverSettings(java.util.Collections.singletonMap(key, r.settings().get(key))).resolved(placeholders::resolve);
                } catch (IllegalArgumentException e) {
                    JsonLocation loc = index.locate("/receivers/" + i + "/" + key);
                    throw new ConfigException(name, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                            "receivers[" + i + "]." + key + ": " + e.getMessage());
                }
            }
            receivers.add(r.withSettings(r.settings().resolved(placeholders::resolve), r.format()));
        }
        return new RelayConfig(receivers, config.route(), config.timeIntervals(), config.heartbeats(), config.watchdogs(),
                config.probes());
    }

    private static LocationIndex locations(String name, String yaml) {
        try {
            return LocationIndex.of(yaml);
        } catch (JsonProcessingException e) {
            throw toConfigException(name, e, null);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, e.getMessage());
        }
    }

    private static String describe(LocationIndex index, RelayConfigValidator.Problem problem) {
        JsonLocation loc = index.locate(problem.pointer());
        return (loc == null ? "" : "line " + loc.getLineNr() + ": ") + problem.message();
    }

    private static ConfigException toConfigException(String name, JsonProcessingException e, LocationIndex index) {
        JsonLocation loc = e.getLocation();
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty() && index != null) {
            // Jackson reports some problems (unknown keys in records) only at the end of the object:
            // the path knows where the offending key really stands
            JsonLocation atPath = index.locate(pointerOf(jme));
            if (atPath != null) {
                loc = atPath;
            }
        }
        String problem = e.getOriginalMessage();
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            problem = e.getCause().getMessage();
        }
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            problem = pathOf(jme) + ": " + firstLine(problem);
        } else {
            problem = firstLine(problem);
        }
        return new ConfigException(name, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), problem);
    }

    private static String pointerOf(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            pointer.append('/').append(ref.getFieldName() != null
                    ? ref.getFieldName().replace("~", "~0").replace("/", "~1") : Integer.toString(ref.getIndex()));
        }
        return pointer.toString();
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson names the Java class; ops know the key
        return line.replaceAll(" \\(class [^)]*\\)", "").replaceAll("`io\\.alertrelay\\.config\\.", "`");
    }
}
