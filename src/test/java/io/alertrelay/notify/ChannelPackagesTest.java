package io.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A channel is one package ({@code notify/<type>/}): the rest of the relay never names one (it asks
 * {@link Channels}), so adding a channel touches its package, its templates, its tests and the docs,
 * nothing else. Read from the sources, as a reviewer would.
 */
class ChannelPackagesTest {

    private static final Path MAIN = Path.of("src/main/java/io/alertrelay");
    private static final Pattern CHANNEL_IMPORT = Pattern.compile("import io\\.alertrelay\\.notify\\.(\\w+)\\.");

    @Test
    void noCodeOutsideTheChannelsImportsAChannelPackage() throws IOException {
        List<Path> channelPackages = channelPackages();
        assertThat(channelPackages).as("channel packages found").hasSizeGreaterThanOrEqualTo(6);
        // the channels' shared packages (notify.preview: the tools they show their messages with) are no channel
        java.util.Set<String> channelNames = channelPackages.stream().map(p -> p.getFileName().toString())
                .collect(java.util.stream.Collectors.toSet());
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<String> offending = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> channelPackages.stream().noneMatch(p -> f.startsWith(p)))
                    .flatMap(f -> {
                        Matcher m = CHANNEL_IMPORT.matcher(read(f));
                        return m.results().filter(r -> channelNames.contains(r.group(1)))
                                .map(r -> MAIN.relativize(f) + " imports notify." + r.group(1));
                    }).toList();
            assertThat(offending).as("code outside notify/<channel>/ that names a channel").isEmpty();
        }
    }

    @Test
    void eachChannelPackageRegistersItselfWithItsOwnBeans() throws IOException {
        for (Path pkg : channelPackages()) {
            try (Stream<Path> files = Files.list(pkg)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertThat(names).as("%s: a *Beans configuration", pkg.getFileName()).anyMatch(n -> n.endsWith("Beans.java"));
                assertThat(names).as("%s: one *Channel", pkg.getFileName()).filteredOn(n -> n.endsWith("Channel.java")).hasSize(1);
            }
        }
    }

    /** The packages under notify/ holding a class that implements or extends a channel. */
    private static List<Path> channelPackages() throws IOException {
        try (Stream<Path> dirs = Files.list(MAIN.resolve("notify"))) {
            return dirs.filter(Files::isDirectory).filter(dir -> {
                try (Stream<Path> files = Files.list(dir)) {
                    return files.anyMatch(f -> read(f).matches("(?s).*class \\w+Channel (implements Channel|extends \\w+Channel).*"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
