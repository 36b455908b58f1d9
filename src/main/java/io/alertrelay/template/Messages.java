package io.alertrelay.template;

import io.alertrelay.config.EmbeddedDefaults;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The words templates use ({@code $t.firing}, ...), per language, from {@code templates/words-<lang>.properties}:
 * beside the templates, in one flat directory, as a Kubernetes ConfigMap mounts it (or the jar's copies
 * when the directory does not exist), over the jar's own words of that language, so that a words
 * file written for an older release still has every key the templates use.
 */
public final class Messages {

    private final Path directory;
    private final Map<String, Map<String, String>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public Messages(Path templatesDirectory) {
        this.directory = templatesDirectory;
    }

    public Map<String, String> forLanguage(String language) {
        return cache.computeIfAbsent(language, this::load);
    }

    private Map<String, String> load(String language) {
        String name = "words-" + language + ".properties";
        boolean embedded = EmbeddedDefaults.replace(directory); // as TemplateRenderer: the directory, or the jar's copies
        Object file = embedded ? "classpath:" + EmbeddedDefaults.TEMPLATES + name : directory.resolve(name);
        Properties props = new Properties();
        try (Reader reader = embedded ? embedded(name) : Files.newBufferedReader(directory.resolve(name), StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("no messages for language '" + language + "' (" + file + ")", e);
        }
        Map<String, String> words = new HashMap<>();
        if (!embedded) {
            // the jar's words first: a words file written for an older release lacks the newer keys
            try (Reader reader = embedded(name)) {
                Properties shipped = new Properties();
                shipped.load(reader);
                shipped.forEach((k, v) -> words.put(k.toString(), v.toString()));
            } catch (IOException e) {
                // a language the jar does not ship: the directory's words alone
            }
        }
        props.forEach((k, v) -> words.put(k.toString(), v.toString()));
        return Map.copyOf(words);
    }

    private static Reader embedded(String name) throws IOException {
        InputStream in = Messages.class.getClassLoader().getResourceAsStream(EmbeddedDefaults.TEMPLATES + name);
        if (in == null) {
            throw new FileNotFoundException("classpath:" + EmbeddedDefaults.TEMPLATES + name);
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
