package io.alertrelay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the README says about files in the repository holds: the template list, the sections scripts refer to. */
class ReadmeAgreesTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    private static String section(String heading) throws IOException {
        String readme = readme();
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section " + heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    @Test
    void theTemplatesSectionNamesEveryTemplate() throws IOException {
        String templates = section("## Templates (`templates/`)");
        try (Stream<Path> files = Files.list(Path.of("templates"))) {
            for (Path file : files.toList()) {
                assertThat(templates).as("the README's template list").contains(file.getFileName() + "`");
            }
        }
    }

    @Test
    void everyReadmeSectionAScriptRefersToExists() throws IOException {
        String readme = readme();
        Pattern reference = Pattern.compile("README'?s? \"([^\"]+)\"");
        for (Path script : List.of(Path.of(".ci/run"), Path.of("bench/run.sh"), Path.of("bin/alert-relay"))) {
            Matcher m = reference.matcher(Files.readString(script));
            while (m.find()) {
                assertThat(readme).as(script + " refers to the README's \"" + m.group(1) + "\"")
                        .containsPattern("(?m)^#+ " + Pattern.quote(m.group(1)) + "$");
            }
        }
        assertThat(Files.readString(Path.of(".ci/run"))).as("the reference this test was written for")
                .contains("README's \"Run the tests\"");
    }
}
