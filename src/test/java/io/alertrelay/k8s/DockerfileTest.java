package io.alertrelay.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no container engine): these checks keep it consistent with
 * the manifests that run its image. Its build steps were checked by hand on the packaged jar: the
 * tools jar mode's layered extraction and the JarLauncher start the relay from the layers.
 */
class DockerfileTest {

    private static List<String> instructions() throws IOException {
        return Files.readAllLines(Path.of("Dockerfile")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    @Test
    void buildsWithTheWrapperOnAJdkAndRunsTheLayersOnAJre() throws IOException {
        List<String> lines = instructions();
        assertThat(lines.stream().filter(l -> l.startsWith("FROM ")))
                .containsExactly("FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre");
        String all = String.join("\n", lines);
        assertThat(all).contains("./mvnw -B -q package")
                .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted");
        assertThat(lines.stream().filter(l -> l.startsWith("COPY --from=build")))
                .as("dependencies first, the application last")
                .containsExactly(
                        "COPY --from=build /build/extracted/dependencies/ ./",
                        "COPY --from=build /build/extracted/spring-boot-loader/ ./",
                        "COPY --from=build /build/extracted/snapshot-dependencies/ ./",
                        "COPY --from=build /build/extracted/application/ ./");
        // the routes and templates are in the jar (ConfigMaps replace them in Kubernetes); the flags in jvm.options
        assertThat(lines).contains("WORKDIR /app", "COPY jvm.options ./", "EXPOSE 8080",
                "ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        assertThat(lines).doesNotContain("COPY routes/ routes/", "COPY templates/ templates/");
    }

    @Test
    void runsAsTheUserTheManifestsExpect() throws IOException {
        Deployment deployment = Manifests.single(Manifests.BASE.resolve("deployment.yaml"), Deployment.class);
        long uid = deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
        assertThat(instructions()).contains("USER " + uid + ":" + uid);
        assertThat(String.join("\n", instructions()))
                .contains("--uid " + uid)
                .contains("RELAY_TEMPLATES_DIR=/app/templates")
                .contains("RELAY_ROUTES_DIR=/app/routes")
                .contains("RELAY_DATA_DIR=/data");
    }

    @Test
    void theBuildContextLeavesOutBuildOutputDataAndHistory() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip).toList();
        assertThat(ignored).contains(".git", "target", "data");
        assertThat(ignored).doesNotContain("src", "routes", "templates", "config", "pom.xml", "mvnw", ".mvn", "jvm.options");
    }
}
