package io.alertrelay.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * kubectl's kustomize, for the tests that render the kustomizations. kubectl comes from $KUBECTL or
 * the PATH (Debian: apt-get install kubernetes-client, kubectl 1.20 with kustomize v2, the oldest the
 * manifests are written for). Without it a test is skipped, except in CI (CI set), where it fails.
 */
final class Kustomize {

    private final Path kubectl;

    private Kustomize(Path kubectl) {
        this.kubectl = kubectl;
    }

    /** The kubectl to render with; call it in each test (or @BeforeEach) so a run without one skips each. */
    static Kustomize find() {
        String env = System.getenv("KUBECTL");
        Optional<Path> found = env != null && !env.isBlank()
                ? Optional.of(Path.of(env)).filter(Files::isExecutable)
                : onPath("kubectl");
        if (found.isPresent()) {
            return new Kustomize(found.get());
        }
        String message = "kubectl not found" + (env != null && !env.isBlank() ? " (KUBECTL=" + env + " is not executable)" : "")
                + ": set KUBECTL or install it (Debian/Ubuntu: apt-get install kubernetes-client)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            throw new AssertionError(message + " [CI is set: the kustomize tests must not be skipped]");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    /** The documents kubectl kustomize renders from a directory; a failure fails with kubectl's message. */
    List<Manifests.Doc> render(Path dir) {
        String out = run("kustomize", dir.toString());
        List<Manifests.Doc> docs = Manifests.parse(Path.of("kustomize " + dir), out);
        assertThat(docs).as("rendered " + dir).isNotEmpty();
        return docs;
    }

    /**
     * Whether this kubectl's kustomize is v2 (kubectl 1.20 and older): it leaves an empty document
     * {@code {}} where a {@code $patch: delete} removed a resource, which kustomize v4 and later do not.
     */
    boolean kustomizeV2() {
        JsonNode version = Manifests.parse(Path.of("kubectl version"), run("version", "--client", "-o", "json"))
                .get(0).node().path("clientVersion");
        Matcher minor = Pattern.compile("\\d+").matcher(version.path("minor").asText(""));
        assertThat(minor.find()).as("kubectl's minor version in " + version).isTrue();
        return version.path("major").asText("").equals("1") && Integer.parseInt(minor.group()) <= 20;
    }

    private String run(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(kubectl.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + ": no answer within 120 s");
                }
                assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + Files.readString(err)).isZero();
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
