package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every value a page shows is escaped by Thymeleaf ({@code th:text}, {@code th:value}, attributes):
 * the one unescaped insertion is the message preview's HTML, which the channels' previews ({@code notify.preview}) build from
 * an allow-list. No page carries a script or a style of its own (the content security policy would
 * block it: the page would break, not run it), and every word has both languages.
 */
class ConsoleTemplatesTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/console");

    @Test
    void theOnlyUnescapedInsertionIsThePreviewsHtml() throws IOException {
        List<String> unescaped = grep(Pattern.compile("th:utext=\"([^\"]*)\"|\\[\\(\\$\\{"));
        assertThat(unescaped).containsExactly("message.html: ${p.html}");
    }

    @Test
    void noInlineScriptStyleOrEventHandler() throws IOException {
        assertThat(grep(Pattern.compile("<script(?![^>]*\\bth:src=)[^>]*>|<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE)))
                .isEmpty();
    }

    @Test
    void everyWordHasBothLanguages() throws IOException {
        java.util.Properties zh = new java.util.Properties();
        java.util.Properties en = new java.util.Properties();
        zh.load(Files.newBufferedReader(TEMPLATES.resolve("messages.properties")));
        en.load(Files.newBufferedReader(TEMPLATES.resolve("messages_en.properties")));
        assertThat(en.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(zh.stringPropertyNames());
        // every #{key} a page names exists (dynamic keys: their prefix)
        for (String key : grep(Pattern.compile("#\\{'?([a-zA-Z.]+)"))) {
            String name = key.substring(key.indexOf(": ") + 2);
            assertThat(zh.stringPropertyNames()).as(key).anyMatch(k -> k.equals(name) || (name.endsWith(".") && k.startsWith(name)));
        }
    }

    /** "file: match" for each match of the pattern's first group (or the whole match) in the console's templates. */
    private static List<String> grep(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            return files.filter(f -> f.toString().endsWith(".html")).sorted().flatMap(f -> {
                try {
                    Matcher m = pattern.matcher(Files.readString(f));
                    List<String> found = new java.util.ArrayList<>();
                    while (m.find()) {
                        found.add(f.getFileName() + ": " + (m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group()));
                    }
                    return found.stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
