package io.alertrelay.k8s;

import static io.alertrelay.k8s.KustomizeRenderTest.assertReferencesResolve;
import static io.alertrelay.k8s.KustomizeRenderTest.configMap;
import static io.alertrelay.k8s.KustomizeRenderTest.kinds;
import static io.alertrelay.k8s.KustomizeRenderTest.one;
import static io.alertrelay.k8s.Manifests.BASE;
import static io.alertrelay.k8s.Manifests.CAMEL_K;
import static io.alertrelay.k8s.Manifests.CAMEL_K_HA;
import static io.alertrelay.k8s.Manifests.EXAMPLE;
import static io.alertrelay.k8s.Manifests.HA;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.RelayProperties;
import io.alertrelay.k8s.CustomResources.Integration;
import io.alertrelay.k8s.CustomResources.PrometheusRule;
import io.alertrelay.k8s.CustomResources.ServiceMonitor;
import io.alertrelay.k8s.CustomResources.Traits;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Cluster mode on Kubernetes: k8s/overlays/ha (rendered by kubectl's kustomize, as it would be applied)
 * and its Camel K variant k8s/camel-k/ha run two or more relays on one PostgreSQL, spread over nodes,
 * replaced without a gap, with the store's credentials from a Secret and no volume claim.
 */
class ClusterManifestsTest {

    static final Path DATABASE_SECRET = HA.resolve("database-secret.example.yaml");
    /** The settings the store's URL and credentials must bind to (Spring Boot's relaxed binding of these names). */
    static final Map<String, String> DATASOURCE_ENV = Map.of(
            "SPRING_DATASOURCE_URL", "spring.datasource.url",
            "SPRING_DATASOURCE_USERNAME", "spring.datasource.username",
            "SPRING_DATASOURCE_PASSWORD", "spring.datasource.password");
    static final String MEMBER_NAME_ENV = "RELAY_CLUSTER_MEMBER_NAME";

    // --- k8s/overlays/ha, rendered ----------------------------------------------------------------

    @Test
    void theHaOverlayRendersEverythingTheBaseHasExceptTheVolumeClaim() {
        Kustomize kustomize = Kustomize.find();
        List<Manifests.Doc> docs = renderHa(kustomize);
        docs.forEach(Manifests.Doc::typed);
        List<String> expected = new ArrayList<>(kinds(kustomize.render(BASE)));
        assertThat(expected.remove("PersistentVolumeClaim/alert-relay-data")).as("the base has the claim").isTrue();
        assertThat(kinds(docs)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(docs).allSatisfy(d -> assertThat(d.node().path("metadata").path("namespace").asText())
                .as(d.where()).isEqualTo("monitoring"));

        Deployment deployment = one(docs, Deployment.class);
        assertReferencesResolve(docs, deployment);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getPersistentVolumeClaim()).as(v.getName()).isNull());
        // RELAY_DATA_DIR is an emptyDir: on PostgreSQL nothing there must outlive the pod
        Container relay = ManifestsTest.relayContainer(deployment);
        String dataDir = plainEnv(relay).get("RELAY_DATA_DIR");
        VolumeMount dataMount = relay.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dataDir))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at RELAY_DATA_DIR " + dataDir));
        assertThat(volume(pod, dataMount.getName()).getEmptyDir()).as("the data volume").isNotNull();
        assertThat(one(docs, ServiceMonitor.class).metadata().labels())
                .containsAllEntriesOf(one(kustomize.render(EXAMPLE), ServiceMonitor.class).metadata().labels());
        assertThat(one(docs, PrometheusRule.class).metadata().labels()).containsKey("release");
    }

    @Test
    void aConsoleUserStaysWithTheReplicaHoldingTheirSession() {
        Manifests.Doc service = renderHa(Kustomize.find()).stream()
                .filter(d -> d.node().path("kind").asText().equals("Service")).findFirst().orElseThrow();
        assertThat(service.node().path("spec").path("sessionAffinity").asText()).isEqualTo("ClientIP");
    }

    @Test
    void twoOrMoreReplicasAreReplacedByStartingANewReadyOneBeforeStoppingAnOldOne() {
        Deployment deployment = one(renderHa(Kustomize.find()), Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).as("replicas by default").isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        RollingUpdateDeployment rolling = deployment.getSpec().getStrategy().getRollingUpdate();
        assertThat(rolling).as("rollingUpdate").isNotNull();
        assertThat(rolling.getMaxUnavailable()).as("maxUnavailable").isNotNull();
        assertThat(rolling.getMaxUnavailable().getIntVal()).as("maxUnavailable").isZero();
        assertThat(rolling.getMaxSurge()).as("maxSurge").isNotNull();
        assertThat(rolling.getMaxSurge().getIntVal()).as("maxSurge").isEqualTo(1);
        // "ready" is the relay's readiness group: down while the store is unreachable
        Container relay = ManifestsTest.relayContainer(deployment);
        assertThat(relay.getReadinessProbe()).as("readinessProbe").isNotNull();
        assertThat(relay.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
    }

    @Test
    void replicasPreferDifferentNodesWithoutRequiringThem() {
        Deployment deployment = one(renderHa(Kustomize.find()), Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getAffinity()).as("affinity").isNotNull();
        assertThat(pod.getAffinity().getPodAntiAffinity()).as("podAntiAffinity").isNotNull();
        List<WeightedPodAffinityTerm> preferred =
                pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(preferred).as("preferred anti-affinity").anySatisfy(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getWeight()).isPositive();
            Map<String, String> selects = term.getPodAffinityTerm().getLabelSelector().getMatchLabels();
            assertThat(selects).as("the relay's own pods").isNotEmpty();
            assertThat(podLabels).containsAllEntriesOf(selects);
        });
        // required would leave a rolling update's extra pod (or a replica more than nodes) unschedulable
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .as("required anti-affinity").isNullOrEmpty();
    }

    @Test
    void aDrainNeverEvictsTheLastRunningReplica() {
        List<Manifests.Doc> docs = renderHa(Kustomize.find());
        PodDisruptionBudget pdb = one(docs, PodDisruptionBudget.class);
        Deployment deployment = one(docs, Deployment.class);
        assertThat(pdb.getSpec().getMinAvailable()).as("minAvailable").isNotNull();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as("minAvailable").isEqualTo(1);
        assertThat(pdb.getSpec().getMaxUnavailable()).as("only one of minAvailable and maxUnavailable").isNull();
        assertThat(deployment.getSpec().getReplicas()).as("more replicas than the budget keeps, or no drain could evict")
                .isGreaterThan(pdb.getSpec().getMinAvailable().getIntVal());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void theStoreComesFromTheDatabaseSecretAndEachReplicaIsNamedAfterItsPod() throws IOException {
        Container relay = ManifestsTest.relayContainer(one(renderHa(Kustomize.find()), Deployment.class));
        Secret secret = Manifests.single(DATABASE_SECRET, Secret.class);
        Map<String, String> provided = secret.getStringData();
        String podName = "alert-relay-6f7d9c8b5-x2k4q";

        Map<String, Object> variables = new LinkedHashMap<>(plainEnv(relay));
        for (EnvVar var : relay.getEnv()) {
            if (DATASOURCE_ENV.containsKey(var.getName())) {
                assertThat(var.getValueFrom()).as(var.getName() + " from a Secret").isNotNull();
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(ref).as(var.getName() + ": secretKeyRef").isNotNull();
                assertThat(ref.getName()).as(var.getName()).isEqualTo(secret.getMetadata().getName());
                assertThat(provided).as(var.getName() + ": the example Secret has its key").containsKey(ref.getKey());
                // required: without it a replica would start on its own embedded H2 file
                assertThat(ref.getOptional()).as(var.getName() + ": optional").isNotEqualTo(Boolean.TRUE);
                variables.put(var.getName(), provided.get(ref.getKey()));
            } else if (var.getName().equals(MEMBER_NAME_ENV)) {
                assertThat(var.getValueFrom()).as(MEMBER_NAME_ENV + " from the pod").isNotNull();
                assertThat(var.getValueFrom().getFieldRef()).as(MEMBER_NAME_ENV + ": fieldRef").isNotNull();
                assertThat(var.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                variables.put(var.getName(), podName);
            }
        }
        assertThat(variables).as("the container's environment").containsKeys(DATASOURCE_ENV.keySet().toArray(String[]::new))
                .containsKey(MEMBER_NAME_ENV);

        // the names bind to the settings they are meant for, as the relay's Spring Boot reads them
        StandardEnvironment environment = environmentOf(variables);
        DATASOURCE_ENV.forEach((env, setting) ->
                assertThat(environment.getProperty(setting)).as(setting).isEqualTo(variables.get(env)));
        assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:postgresql://");
        RelayProperties relayProperties = Binder.get(environment).bind("relay", RelayProperties.class).get();
        assertThat(relayProperties.getCluster().getMemberName()).isEqualTo(podName);

        // the example holds no real password and is never applied by kustomize
        assertThat(provided.get("password")).startsWith("CHANGE-ME");
        assertThat(secret.getData()).as("placeholders go in stringData").isNullOrEmpty();
        assertThat(Manifests.kustomization(HA).toString()).doesNotContain(DATABASE_SECRET.getFileName().toString());
    }

    @Test
    void aStoppingReplicaHasTimeToFinishItsSendsAndHandOverItsLeases() throws IOException {
        Deployment deployment = one(renderHa(Kustomize.find()), Deployment.class);
        Container relay = ManifestsTest.relayContainer(deployment);
        // preStop: the Service stops routing new requests here before the relay is told to stop
        assertThat(relay.getLifecycle()).as("lifecycle").isNotNull();
        List<String> preStop = relay.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).as("preStop").hasSize(2).first().isEqualTo("sleep");
        long preStopSeconds = Long.parseLong(preStop.get(1));

        Properties app = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        assertThat(app.getProperty("server.shutdown")).isEqualTo("graceful");
        long httpDrain = DurationStyle.detectAndParse(
                app.getProperty("spring.lifecycle.timeout-per-shutdown-phase", "30s")).toSeconds();
        long camelShutdown = Long.parseLong(app.getProperty("camel.main.shutdown-timeout"));
        long needed = preStopSeconds + httpDrain + camelShutdown + Duration.ofSeconds(10).toSeconds(); // + releasing leases, closing the pool
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("terminationGracePeriodSeconds: preStop %d s + HTTP drain %d s + Camel shutdown %d s + 10 s",
                        preStopSeconds, httpDrain, camelShutdown)
                .isGreaterThanOrEqualTo(needed);
    }

    // --- k8s/camel-k/ha ---------------------------------------------------------------------------

    @Test
    void theCamelKVariantRunsReplicasOnDifferentNodesWithABudgetAndNoDataVolume() {
        Traits traits = Manifests.single(CAMEL_K_HA.resolve("integration.yaml"), Integration.class).spec().traits();
        Integration integration = Manifests.single(CAMEL_K_HA.resolve("integration.yaml"), Integration.class);
        assertThat(integration.spec().replicas()).as("replicas").isEqualTo(2);
        assertThat(traits.deployment().strategy()).isEqualTo("RollingUpdate");
        // the affinity trait's anti-affinity is required: an extra pod during the update would find no
        // node on a cluster with as many nodes as replicas, so one old pod goes first
        assertThat(traits.affinity()).as("affinity trait").isNotNull();
        assertThat(traits.affinity().enabled()).as("affinity.enabled").isTrue();
        assertThat(traits.affinity().podAntiAffinity()).as("affinity.podAntiAffinity").isTrue();
        assertThat(traits.deployment().rollingUpdateMaxSurge()).as("rollingUpdateMaxSurge").isZero();
        assertThat(traits.deployment().rollingUpdateMaxUnavailable()).as("rollingUpdateMaxUnavailable").isEqualTo(1);
        assertThat(traits.pdb()).as("pdb trait").isNotNull();
        assertThat(traits.pdb().enabled()).as("pdb.enabled").isTrue();
        assertThat(traits.pdb().minAvailable()).as("pdb.minAvailable").isEqualTo("1");
        assertThat(traits.pdb().maxUnavailable()).isNull();
        assertThat(traits.health().readinessProbeEnabled()).isTrue();
        assertThat(traits.health().readinessProbe()).isEqualTo("/actuator/health/readiness");

        assertThat(traits.mount().volumes()).as("no volume claim: the store is PostgreSQL").isNullOrEmpty();
        assertThat(traits.mount().emptyDirs()).contains("data:" + vars(traits).get("RELAY_DATA_DIR"));
    }

    @Test
    void theCamelKVariantTakesTheStoreFromTheDatabaseSecretAndOtherwiseMatchesTheSingleIntegration() {
        Traits ha = Manifests.single(CAMEL_K_HA.resolve("integration.yaml"), Integration.class).spec().traits();
        Traits single = Manifests.single(CAMEL_K.resolve("integration.yaml"), Integration.class).spec().traits();
        Secret database = Manifests.single(DATABASE_SECRET, Secret.class);
        Map<String, String> vars = vars(ha);
        DATASOURCE_ENV.keySet().forEach(name -> {
            assertThat(vars).as("environment.vars").containsKey(name);
            String value = vars.get(name);
            assertThat(value).as(name).startsWith("secret:" + database.getMetadata().getName() + "/");
            assertThat(database.getStringData()).as(name + ": the example Secret has its key")
                    .containsKey(value.substring(value.indexOf('/') + 1));
        });
        // no fixed name: every replica would claim to be the same member (the default is unique per process)
        assertThat(vars).doesNotContainKey(MEMBER_NAME_ENV);
        assertThat(ha.environment().containerMeta()).isNotEqualTo(Boolean.FALSE);

        // everything else as the single relay's Integration (ManifestsTest checks that one against the Deployment)
        Map<String, String> rest = new LinkedHashMap<>(vars);
        DATASOURCE_ENV.keySet().forEach(rest::remove);
        assertThat(rest).isEqualTo(vars(single));
        assertThat(ha.container()).isEqualTo(single.container());
        assertThat(ha.health()).isEqualTo(single.health());
        assertThat(ha.owner()).isEqualTo(single.owner());
        assertThat(ha.service()).isEqualTo(single.service());
        assertThat(ha.jvm()).isNull();
        assertThat(ha.mount().resources()).isEqualTo(single.mount().resources());
        assertThat(ha.mount().hotReload()).isEqualTo(single.mount().hotReload());
        assertThat(ha.mount().emptyDirs()).containsAll(single.mount().emptyDirs());
    }

    @Test
    void theCamelKVariantRendersWithItsConfigMapsAndMonitoringAndNoVolumeClaim() {
        Kustomize kustomize = Kustomize.find();
        List<Manifests.Doc> docs = kustomize.render(CAMEL_K_HA);
        docs.forEach(Manifests.Doc::typed);
        assertThat(kinds(docs)).contains("Integration/alert-relay", "ServiceMonitor/alert-relay", "PrometheusRule/alert-relay")
                .doesNotContain("PersistentVolumeClaim/alert-relay-data", "Deployment/alert-relay");
        Integration integration = one(docs, Integration.class);
        for (String resource : integration.spec().traits().mount().resources()) {
            configMap(docs, resource.substring("configmap:".length(), resource.indexOf('@')));
        }
        List<Manifests.Doc> overlay = kustomize.render(EXAMPLE);
        assertThat(one(docs, ServiceMonitor.class).metadata().labels())
                .containsAllEntriesOf(one(overlay, ServiceMonitor.class).metadata().labels());
        assertThat(one(docs, PrometheusRule.class).metadata().labels())
                .containsAllEntriesOf(one(overlay, PrometheusRule.class).metadata().labels());
    }

    // --- helpers ----------------------------------------------------------------------------------

    /**
     * The HA overlay as kustomize renders it. kustomize v2 (kubectl 1.20) leaves an empty document
     * where {@code $patch: delete} removed the volume claim; it is dropped here, and only there.
     */
    private static List<Manifests.Doc> renderHa(Kustomize kustomize) {
        List<Manifests.Doc> docs = kustomize.render(HA);
        List<Manifests.Doc> empty = docs.stream().filter(d -> d.kind().isEmpty() && d.name().isEmpty()).toList();
        if (!empty.isEmpty()) {
            assertThat(kustomize.kustomizeV2()).as("empty documents rendered: " + empty.stream()
                    .map(d -> d.node().toString()).toList() + "; only kustomize v2 leaves one for a deleted resource")
                    .isTrue();
            assertThat(empty).as("one deleted resource").hasSize(1);
        }
        return docs.stream().filter(d -> !empty.contains(d)).toList();
    }

    /** The container's plain variables (values, not references). */
    private static Map<String, String> plainEnv(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Map<String, String> vars(Traits traits) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String var : traits.environment().vars()) {
            int eq = var.indexOf('=');
            vars.put(var.substring(0, eq), var.substring(eq + 1));
        }
        return vars;
    }

    /** A Spring environment whose only variables are these, as the relay would see them in the container. */
    private static StandardEnvironment environmentOf(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
