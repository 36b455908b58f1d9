package io.alertrelay.k8s;

import static io.alertrelay.k8s.Manifests.BASE;
import static io.alertrelay.k8s.Manifests.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/base/config/ holds copies of routes/, templates/ and config/relay.example.yaml (kustomize reads
 * no file outside its directory); k8s/sync.sh makes them. These tests keep the copies, the generator's
 * file lists and the Deployment's routes checksum equal to the sources, so they cannot drift.
 */
class SyncedCopiesTest {

    private static final String STALE = " — k8s/base is stale: run k8s/sync.sh";

    @Test
    void theRoutesCopiesEqualRoutes() {
        assertSameFiles(Path.of("routes"), CONFIG.resolve("routes"), ".yaml");
    }

    @Test
    void theTemplatesCopiesEqualTemplates() throws IOException {
        try (Stream<Path> nested = Files.walk(Path.of("templates"), 8)) {
            assertThat(nested.filter(Files::isRegularFile).filter(p -> p.getNameCount() > 2).toList())
                    .as("templates/ must stay one flat directory: a ConfigMap holds no subdirectories")
                    .isEmpty();
        }
        assertSameFiles(Path.of("templates"), CONFIG.resolve("templates"), "");
    }

    @Test
    void theRelayYamlCopyEqualsTheExampleConfiguration() throws IOException {
        assertThat(Files.readAllBytes(CONFIG.resolve("relay.yaml")))
                .as("k8s/base/config/relay.yaml" + STALE)
                .isEqualTo(Files.readAllBytes(Path.of("config/relay.example.yaml")));
    }

    @Test
    void theGeneratorListsExactlyTheCopiedFiles() {
        Map<String, List<String>> generated = generatedConfigMaps();
        assertThat(generated.keySet())
                .containsExactlyInAnyOrder("alert-relay-routes", "alert-relay-templates", "alert-relay-config");
        assertThat(generated.get("alert-relay-routes")).as("alert-relay-routes" + STALE)
                .containsExactlyElementsOf(relative(CONFIG.resolve("routes")));
        assertThat(generated.get("alert-relay-templates")).as("alert-relay-templates" + STALE)
                .containsExactlyElementsOf(relative(CONFIG.resolve("templates")));
        assertThat(generated.get("alert-relay-config")).containsExactly("relay.yaml");
        assertThat(Manifests.kustomization(CONFIG).path("generatorOptions").path("disableNameSuffixHash").asBoolean())
                .as("fixed ConfigMap names: the relay reloads relay.yaml and the templates in place").isTrue();
    }

    @Test
    void theDeploymentCarriesTheRoutesChecksumSoThatARouteChangeRestartsThePod() {
        Deployment deployment = Manifests.single(BASE.resolve("deployment.yaml"), Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("checksum/routes" + STALE)
                .containsEntry("checksum/routes", routesChecksum());
    }

    @Test
    void theConfigMapsStayWellBelowTheSizeLimit() throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.walk(CONFIG)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
        }
        assertThat(total).as("bytes, against the 1 MiB limit of one ConfigMap").isLessThan(512 * 1024);
    }

    /** Generator name to its files, as listed in k8s/base/config/kustomization.yaml. */
    static Map<String, List<String>> generatedConfigMaps() {
        Map<String, List<String>> generated = new LinkedHashMap<>();
        for (JsonNode generator : Manifests.kustomization(CONFIG).path("configMapGenerator")) {
            List<String> files = new ArrayList<>();
            generator.path("files").forEach(f -> files.add(f.asText()));
            generated.put(generator.path("name").asText(), files);
        }
        return generated;
    }

    /** The same bytes as k8s/sync.sh hashes: each route file's name, a newline and its content, in name order. */
    static String routesChecksum() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (Map.Entry<String, Path> route : files(Path.of("routes"), ".yaml").entrySet()) {
                bytes.write((route.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
                bytes.write(Files.readAllBytes(route.getValue()));
            }
            return HexFormat.of().formatHex(sha.digest(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSameFiles(Path source, Path copy, String suffix) {
        Map<String, Path> sources = files(source, suffix);
        Map<String, Path> copies = files(copy, suffix);
        assertThat(copies.keySet()).as(copy + STALE).containsExactlyElementsOf(sources.keySet());
        sources.forEach((name, file) -> {
            try {
                assertThat(Files.readAllBytes(copies.get(name))).as(copy.resolve(name) + STALE)
                        .isEqualTo(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The regular files directly in a directory (name order, C locale like sync.sh). */
    private static Map<String, Path> files(Path dir, String suffix) {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .forEach(p -> files.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<String> relative(Path dir) {
        String prefix = CONFIG.relativize(dir).toString().replace('\\', '/') + "/";
        return files(dir, "").keySet().stream().map(n -> prefix + n).toList();
    }
}
