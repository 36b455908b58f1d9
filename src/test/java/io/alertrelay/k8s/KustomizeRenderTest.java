package io.alertrelay.k8s;

import static io.alertrelay.k8s.Manifests.BASE;
import static io.alertrelay.k8s.Manifests.CAMEL_K;
import static io.alertrelay.k8s.Manifests.EXAMPLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.k8s.CustomResources.Integration;
import io.alertrelay.k8s.CustomResources.PrometheusRule;
import io.alertrelay.k8s.CustomResources.ServiceMonitor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kustomizations render with kubectl's kustomize, and what they render is what the relay needs
 * ({@link Kustomize} finds kubectl; without it the tests are skipped, except in CI).
 */
class KustomizeRenderTest {

    private Kustomize kustomize;

    /** Per test, so that a run without kubectl reports each of them as skipped. */
    @BeforeEach
    void findKubectl() {
        kustomize = Kustomize.find();
    }

    @Test
    void theBaseRendersTheRelayWithConfigMapsEqualToTheSources() {
        List<Manifests.Doc> docs = render(BASE);
        assertThat(kinds(docs)).containsExactlyInAnyOrder(
                "ConfigMap/alert-relay-routes", "ConfigMap/alert-relay-templates", "ConfigMap/alert-relay-config",
                "Deployment/alert-relay", "Service/alert-relay", "PersistentVolumeClaim/alert-relay-data",
                "PodDisruptionBudget/alert-relay", "ServiceMonitor/alert-relay", "PrometheusRule/alert-relay");
        docs.forEach(Manifests.Doc::typed);

        assertThat(configMap(docs, "alert-relay-routes").getData()).isEqualTo(contents(Path.of("routes")));
        assertThat(configMap(docs, "alert-relay-templates").getData()).isEqualTo(contents(Path.of("templates")));
        assertThat(configMap(docs, "alert-relay-config").getData())
                .isEqualTo(Map.of("relay.yaml", read(Path.of("config/relay.example.yaml"))));

        Deployment deployment = one(docs, Deployment.class);
        assertReferencesResolve(docs, deployment);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(one(docs, Service.class).getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(one(docs, PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
        assertThat(one(docs, Service.class).getMetadata().getLabels())
                .containsAllEntriesOf(one(docs, ServiceMonitor.class).spec().selector().getMatchLabels());
    }

    @Test
    void theExampleOverlayDeploysIntoMonitoringWithItsImageItsConfigurationAndPrometheusLabels() {
        List<Manifests.Doc> docs = render(EXAMPLE);
        docs.forEach(Manifests.Doc::typed);
        assertThat(docs).allSatisfy(d -> assertThat(d.node().path("metadata").path("namespace").asText())
                .as(d.where()).isEqualTo("monitoring"));
        Deployment deployment = one(docs, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/ops/alert-relay:0.1.0");
        assertReferencesResolve(docs, deployment);
        assertThat(configMap(docs, "alert-relay-config").getData())
                .as("the overlay's relay.yaml replaces the example")
                .isEqualTo(Map.of("relay.yaml", read(EXAMPLE.resolve("relay.yaml"))));
        assertThat(configMap(docs, "alert-relay-templates").getData()).isEqualTo(contents(Path.of("templates")));
        assertThat(one(docs, ServiceMonitor.class).metadata().labels()).containsKey("release");
        assertThat(one(docs, PrometheusRule.class).metadata().labels()).containsKey("release");
    }

    @Test
    void theCamelKKustomizationRendersTheIntegrationWithEverythingItMounts() {
        List<Manifests.Doc> docs = render(CAMEL_K);
        docs.forEach(Manifests.Doc::typed);
        assertThat(kinds(docs)).doesNotContain("Deployment/alert-relay", "Service/alert-relay")
                .contains("Integration/alert-relay", "PersistentVolumeClaim/alert-relay-data",
                        "ServiceMonitor/alert-relay", "PrometheusRule/alert-relay");
        Integration integration = one(docs, Integration.class);
        for (String resource : integration.spec().traits().mount().resources()) {
            String name = resource.substring("configmap:".length(), resource.indexOf('@'));
            ConfigMap cm = configMap(docs, name);
            // nothing rolls the pod on an edit: the relay reloads relay.yaml, the templates and the routes itself
            assertThat(cm.getMetadata().getLabels() == null ? Map.of() : cm.getMetadata().getLabels())
                    .as(name).doesNotContainKey("camel.apache.org/integration");
        }
        assertThat(integration.spec().traits().mount().hotReload()).isNotEqualTo(Boolean.TRUE);
        // the monitoring carries the label Prometheus selects it by, as the example overlay's does
        List<Manifests.Doc> overlay = render(EXAMPLE);
        assertThat(one(docs, ServiceMonitor.class).metadata().labels())
                .containsAllEntriesOf(one(overlay, ServiceMonitor.class).metadata().labels());
        assertThat(one(docs, PrometheusRule.class).metadata().labels())
                .containsAllEntriesOf(one(overlay, PrometheusRule.class).metadata().labels());
        String claim = integration.spec().traits().mount().volumes().get(0).split(":")[0];
        assertThat(one(docs, PersistentVolumeClaim.class).getMetadata().getName()).isEqualTo(claim);
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** Every ConfigMap and PersistentVolumeClaim the pod names is rendered; the Secret is the template's (created by hand). */
    static void assertReferencesResolve(List<Manifests.Doc> docs, Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        for (Volume volume : pod.getVolumes()) {
            if (volume.getConfigMap() != null) {
                assertThat(kinds(docs)).as(volume.getName()).contains("ConfigMap/" + volume.getConfigMap().getName());
            }
            if (volume.getPersistentVolumeClaim() != null) {
                assertThat(kinds(docs)).contains("PersistentVolumeClaim/" + volume.getPersistentVolumeClaim().getClaimName());
            }
        }
        assertThat(pod.getContainers().get(0).getEnvFrom().get(0).getSecretRef().getName())
                .isEqualTo(Manifests.single(ManifestsTest.SECRET, Secret.class).getMetadata().getName());
    }

    private List<Manifests.Doc> render(Path dir) {
        return kustomize.render(dir);
    }

    static List<String> kinds(List<Manifests.Doc> docs) {
        return docs.stream().map(d -> d.kind() + "/" + d.name()).toList();
    }

    static <T> T one(List<Manifests.Doc> docs, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Manifests.Doc doc : docs) {
            Object typed = doc.typed();
            if (type.isInstance(typed)) {
                found.add(type.cast(typed));
            }
        }
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    static ConfigMap configMap(List<Manifests.Doc> docs, String name) {
        return docs.stream().filter(d -> d.kind().equals("ConfigMap") && d.name().equals(name))
                .findFirst().map(d -> d.as(ConfigMap.class))
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name + " in " + kinds(docs)));
    }

    /** File name to content of the regular files directly in a directory. */
    static Map<String, String> contents(Path dir) {
        Map<String, String> data = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> data.put(f.getFileName().toString(), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (dir.equals(Path.of("routes"))) {
            data.keySet().removeIf(n -> !n.endsWith(".yaml"));
        }
        return data;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
