package io.alertrelay.k8s;

import static io.alertrelay.k8s.Manifests.BASE;
import static io.alertrelay.k8s.Manifests.CAMEL_K;
import static io.alertrelay.k8s.Manifests.CONFIG;
import static io.alertrelay.k8s.Manifests.EXAMPLE;
import static io.alertrelay.k8s.Manifests.K8S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.RelayProperties;
import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.k8s.CustomResources.Integration;
import io.alertrelay.k8s.CustomResources.PrometheusRule;
import io.alertrelay.k8s.CustomResources.Rule;
import io.alertrelay.k8s.CustomResources.ServiceMonitor;
import io.alertrelay.template.TemplateRenderer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The manifests under k8s/ are valid typed Kubernetes objects and say what the relay needs. */
class ManifestsTest {

    /** The relay's metrics the PrometheusRule may use (README, "Metrics and health"), and Prometheus's up. */
    static final Set<String> KNOWN_METRICS = Set.of(
            "relay_notifications_failed_total", "relay_outbox_oldest_age_seconds", "relay_dead_letters", "up",
            "relay_cluster_member_last_seen_seconds", "relay_cluster_member_older_config");

    static final Path DEPLOYMENT = BASE.resolve("deployment.yaml");
    static final Path SECRET = BASE.resolve("secret.example.yaml");

    // --- every manifest ----------------------------------------------------------------------

    @Test
    void everyManifestUnderK8sIsATypedKubernetesObjectWithoutUnknownFields() {
        List<Path> files = Manifests.manifestFiles();
        assertThat(files).as("manifests under k8s/").contains(DEPLOYMENT, SECRET, BASE.resolve("service.yaml"),
                BASE.resolve("pvc.yaml"), BASE.resolve("pdb.yaml"), BASE.resolve("monitoring/servicemonitor.yaml"),
                BASE.resolve("monitoring/prometheusrule.yaml"), CAMEL_K.resolve("integration.yaml"));
        int documents = 0;
        for (Path file : files) {
            for (Manifests.Doc doc : Manifests.read(file)) {
                assertThat(doc.apiVersion()).as(doc.where() + ": apiVersion").isNotBlank();
                assertThat(doc.kind()).as(doc.where() + ": kind").isNotBlank();
                assertThat(doc.name()).as(doc.where() + ": metadata.name").isNotBlank();
                doc.typed();
                documents++;
            }
        }
        assertThat(documents).isGreaterThanOrEqualTo(files.size());
    }

    @Test
    void theStrictReaderRejectsUnknownFieldsInCoreAndCustomKinds() {
        String misspelt = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinesProbe: {}
                """;
        assertThatThrownBy(() -> Manifests.parse(Path.of("misspelt.yaml"), misspelt).get(0).typed())
                .hasMessageContaining("readinesProbe");
        String misplaced = """
                apiVersion: camel.apache.org/v1
                kind: Integration
                metadata: {name: x}
                spec:
                  traits:
                    mount:
                      hotreload: true
                """;
        assertThatThrownBy(() -> Manifests.parse(Path.of("misplaced.yaml"), misplaced).get(0).typed())
                .hasMessageContaining("hotreload");
        String duplicated = """
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                metadata: {name: y}
                """;
        assertThatThrownBy(() -> Manifests.parse(Path.of("duplicated.yaml"), duplicated))
                .hasMessageContaining("metadata");
        // a strategic merge patch's directive is not a field, but only kustomize's directives are known
        String deletion = """
                $patch: delete
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: x}
                """;
        assertThat(Manifests.parse(Path.of("deletion.yaml"), deletion).get(0).deletes()).isTrue();
        Manifests.parse(Path.of("deletion.yaml"), deletion).get(0).typed();
        assertThatThrownBy(() -> Manifests.parse(Path.of("misspelt-directive.yaml"), deletion.replace("delete", "remove"))
                .get(0).typed()).hasMessageContaining("$patch directive remove");
    }

    // --- the Deployment -------------------------------------------------------------------------

    @Test
    void theDeploymentRunsOneNonRootReadOnlyRelayReplacedByRecreate() {
        Deployment deployment = Manifests.single(DEPLOYMENT, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");

        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getFsGroup()).as("the data volume writable by uid 10001").isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Container relay = relayContainer(deployment);
        assertThat(relay.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(relay.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(relay.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(relay.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(relay.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(relay.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void theDeploymentProbesTheRelaysLivenessAndReadinessGroups() {
        Container relay = relayContainer(Manifests.single(DEPLOYMENT, Deployment.class));
        assertThat(relay.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertHttpProbe(relay.getReadinessProbe(), "/actuator/health/readiness");
        assertHttpProbe(relay.getLivenessProbe(), "/actuator/health/liveness");
        assertHttpProbe(relay.getStartupProbe(), "/actuator/health/liveness");
        assertThat(relay.getStartupProbe().getFailureThreshold() * relay.getStartupProbe().getPeriodSeconds())
                .as("seconds a slow start is given").isGreaterThanOrEqualTo(120);
    }

    @Test
    void theDeploymentHasRequestsAMemoryLimitAndLeavesTheHeapToTheImagesJvmOptions() {
        Container relay = relayContainer(Manifests.single(DEPLOYMENT, Deployment.class));
        Map<String, Quantity> requests = relay.getResources().getRequests();
        Map<String, Quantity> limits = relay.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKey("memory");
        assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                .isGreaterThan(Quantity.getAmountInBytes(requests.get("memory")));
        // the heap is jvm.options' -Xmx (the image's entrypoint), not a share of the limit (JvmFlagsTest)
        assertThat(env(relay).get("JAVA_TOOL_OPTIONS")).doesNotContain("RAMPercentage", "-Xmx", "-Xms");
        assertThat(Quantity.getAmountInBytes(limits.get("memory")).longValue())
                .as("the limit leaves room above the heap for metaspace, code, threads and buffers")
                .isGreaterThanOrEqualTo(4 * JvmFlagsTest.maxHeapBytes());
    }

    @Test
    void theDeploymentMountsTheStoreTheConfigMapsAndAWritableTmp() {
        Deployment deployment = Manifests.single(DEPLOYMENT, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container relay = relayContainer(deployment);
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        Map<String, VolumeMount> mounts = relay.getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
        assertThat(volumes.keySet()).as("every volume is mounted")
                .isEqualTo(relay.getVolumeMounts().stream().map(VolumeMount::getName).collect(Collectors.toSet()));

        Map<String, String> env = env(relay);
        assertThat(env).containsEntry("RELAY_DATA_DIR", "/data");
        Volume data = volumes.get(mounts.get("/data").getName());
        PersistentVolumeClaim claim = Manifests.single(BASE.resolve("pvc.yaml"), PersistentVolumeClaim.class);
        assertThat(data.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim.getMetadata().getName());
        assertThat(mounts.get("/data").getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();

        // each ConfigMap mounted as a whole directory (a subPath mount never sees an update)
        Map<String, String> configMapAt = new HashMap<>();
        for (VolumeMount mount : relay.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            if (volume.getConfigMap() != null) {
                assertThat(mount.getSubPath()).as(mount.getMountPath()).isNull();
                assertThat(mount.getReadOnly()).as(mount.getMountPath()).isTrue();
                configMapAt.put(volume.getConfigMap().getName(), mount.getMountPath());
            }
        }
        assertThat(configMapAt.keySet()).isEqualTo(SyncedCopiesTest.generatedConfigMaps().keySet());
        assertThat(env).containsEntry("RELAY_ROUTES_DIR", configMapAt.get("alert-relay-routes"));
        assertThat(env).containsEntry("RELAY_TEMPLATES_DIR", configMapAt.get("alert-relay-templates"));
        assertThat(env).containsEntry("RELAY_CONFIG_FILE", configMapAt.get("alert-relay-config") + "/relay.yaml");
    }

    @Test
    void theEnvironmentBindsToTheSettingsItIsMeantFor() {
        Container relay = relayContainer(Manifests.single(DEPLOYMENT, Deployment.class));
        Map<String, Object> variables = new LinkedHashMap<>(env(relay));
        secretKeys().forEach(k -> variables.put(k, "secret-" + k));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        ConfigurationPropertySources.attach(environment);

        RelayProperties relayProperties = Binder.get(environment).bind("relay", RelayProperties.class).get();
        assertThat(relayProperties.getConfigFile()).isEqualTo(Path.of("/etc/alert-relay/relay.yaml"));
        assertThat(relayProperties.getTemplatesDir()).isEqualTo(Path.of("/app/templates"));
        assertThat(relayProperties.getIngest().getBearerToken()).isEqualTo("secret-RELAY_INGEST_BEARER_TOKEN");
        assertThat(relayProperties.getAdmin().getToken()).isEqualTo("secret-RELAY_ADMIN_TOKEN");
        assertThat(environment.resolvePlaceholders("${relay.data-dir}")).isEqualTo("/data");
        // application.properties derives camel.main.routes-include-pattern from relay.routes-dir
        assertThat(relayProperties.getRoutesDir()).isEqualTo(Path.of("/app/routes"));
    }

    // --- Service, PDB, Secret ---------------------------------------------------------------------

    @Test
    void theServiceAndTheBudgetSelectTheRelaysPodsAndTheBudgetAllowsADrain() {
        Deployment deployment = Manifests.single(DEPLOYMENT, Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        Service service = Manifests.single(BASE.resolve("service.yaml"), Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        ServicePort http = service.getSpec().getPorts().get(0);
        assertThat(http.getName()).isEqualTo("http");
        assertThat(http.getPort()).isEqualTo(8080);
        assertThat(http.getTargetPort().getStrVal()).isEqualTo("http");

        PodDisruptionBudget pdb = Manifests.single(BASE.resolve("pdb.yaml"), PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        // with a single replica, minAvailable 1 (or maxUnavailable 0) would block every node drain
        if (pdb.getSpec().getMinAvailable() != null) {
            assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isZero();
        } else {
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void theSecretTemplateIsNotAppliedByKustomizeAndFeedsTheDeploymentsEnvironment() {
        Secret secret = Manifests.single(SECRET, Secret.class);
        assertThat(secret.getData()).as("placeholders go in stringData").isNullOrEmpty();
        assertThat(secret.getStringData()).isNotEmpty();
        assertThat(secret.getStringData().keySet())
                .contains("RELAY_INGEST_BEARER_TOKEN", "RELAY_ADMIN_TOKEN", "SMTP_PASSWORD")
                .allSatisfy(key -> assertThat(key).matches("[A-Z_][A-Z0-9_]*"));
        assertThat(secret.getStringData().values()).allSatisfy(v -> assertThat(v).startsWith("CHANGE-ME"));

        assertThat(Manifests.kustomization(BASE).toString()).doesNotContain(SECRET.getFileName().toString());
        Container relay = relayContainer(Manifests.single(DEPLOYMENT, Deployment.class));
        assertThat(relay.getEnvFrom()).anySatisfy(from ->
                assertThat(from.getSecretRef().getName()).isEqualTo(secret.getMetadata().getName()));
    }

    @Test
    void everyRelayYamlUnderK8sIsAValidConfigurationWhoseSecretsTheSecretTemplateProvides() throws IOException {
        Set<String> provided = secretKeys();
        TemplateRenderer templates = new TemplateRenderer(CONFIG.resolve("templates"));
        List<Path> files;
        try (var walk = Files.walk(K8S)) {
            files = walk.filter(p -> p.getFileName().toString().equals("relay.yaml")).sorted().toList();
        }
        assertThat(files).contains(CONFIG.resolve("relay.yaml"), EXAMPLE.resolve("relay.yaml"));
        for (Path file : files) {
            RelayConfigLoader loader = new RelayConfigLoader(
                    new PlaceholderResolver(name -> provided.contains(name) ? "value-of-" + name : null),
                    new RelayConfigValidator(templates::check, io.alertrelay.testing.TestChannels.all().all()));
            RelayConfig config = loader.load(file);
            assertThat(config.receivers()).as(file.toString()).isNotEmpty();
        }
    }

    // --- monitoring -------------------------------------------------------------------------------

    @Test
    void theServiceMonitorScrapesThePrometheusEndpointThroughTheHttpPort() {
        ServiceMonitor monitor = Manifests.single(BASE.resolve("monitoring/servicemonitor.yaml"), ServiceMonitor.class);
        Service service = Manifests.single(BASE.resolve("service.yaml"), Service.class);
        Deployment deployment = Manifests.single(DEPLOYMENT, Deployment.class);
        // the Service carries the Deployment's pod labels once commonLabels are applied
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(monitor.spec().selector().getMatchLabels());
        assertThat(monitor.spec().endpoints()).singleElement().satisfies(e -> {
            assertThat(e.port()).isEqualTo(service.getSpec().getPorts().get(0).getName());
            assertThat(e.path()).isEqualTo("/actuator/prometheus");
        });
        assertThat(monitor.spec().jobLabel()).as("job label = the Service's name").isNull();
    }

    @Test
    void thePrometheusRuleAlertsOnTheRelayWithItsOwnMetrics() throws IOException {
        PrometheusRule rule = Manifests.single(BASE.resolve("monitoring/prometheusrule.yaml"), PrometheusRule.class);
        List<Rule> rules = rule.spec().groups().stream().flatMap(g -> g.rules().stream()).toList();
        assertThat(rules).extracting(Rule::alert).containsExactlyInAnyOrder(
                "AlertRelayDown", "AlertRelayDeliveryFailures", "AlertRelayOldPendingNotifications", "AlertRelayDeadLetters",
                "AlertRelayMemberLost", "AlertRelayConfigDrift");
        String job = "job=\"" + Manifests.single(BASE.resolve("service.yaml"), Service.class).getMetadata().getName() + "\"";
        String readme = Files.readString(Path.of("README.md"));
        Set<String> used = new TreeSet<>();
        for (Rule r : rules) {
            Set<String> metrics = metricNames(r.expr());
            assertThat(metrics).as(r.alert() + ": metrics of " + r.expr()).isNotEmpty().isSubsetOf(KNOWN_METRICS);
            used.addAll(metrics);
            assertThat(r.expr()).as(r.alert() + " selects the relay's job").contains(job);
            assertThat(r.labels()).as(r.alert())
                    .containsEntry("component", "alert-relay")
                    .hasEntrySatisfying("severity", s -> assertThat(s).isIn("critical", "warning"));
            assertThat(r.annotations()).as(r.alert()).containsKeys("summary", "description");
            if (r.forDuration() != null) {
                assertThat(r.forDuration()).matches("\\d+[smh]");
            }
        }
        assertThat(used).isEqualTo(KNOWN_METRICS);
        used.stream().filter(m -> m.startsWith("relay_"))
                .forEach(m -> assertThat(readme).as("README documents " + m).contains(m));
        assertThat(Files.readString(BASE.resolve("monitoring/prometheusrule.yaml")))
                .as("the rule file says to route these alerts around the relay")
                .contains("component=\"alert-relay\"").containsIgnoringCase("not go through the relay");
    }

    @Test
    void metricNamesAreFoundInPromQl() {
        assertThat(metricNames("sum by (namespace, receiver) (increase(relay_x_total{job=\"a\",reason=~\"b|c\"}[15m])) > 0"))
                .containsExactly("relay_x_total");
        assertThat(metricNames("absent(up{job=\"alert-relay\"} == 1)")).containsExactly("up");
        assertThat(metricNames("max by (namespace) (delta(relay_dead_letters[30m])) > 0 and on() vector(1)"))
                .containsExactly("relay_dead_letters");
    }

    // --- Camel K ----------------------------------------------------------------------------------

    @Test
    void theCamelKIntegrationRunsTheImageWithTheDeploymentsMountsSettingsAndProbes() {
        Integration integration = Manifests.single(CAMEL_K.resolve("integration.yaml"), Integration.class);
        Deployment deployment = Manifests.single(DEPLOYMENT, Deployment.class);
        Container relay = relayContainer(deployment);
        CustomResources.Traits traits = integration.spec().traits();

        assertThat(integration.spec().replicas()).isEqualTo(1);
        assertThat(traits.deployment().strategy()).isEqualTo("Recreate");
        assertThat(traits.container().image()).isNotBlank().doesNotEndWith(":latest").contains(":");
        assertThat(traits.container().port()).isEqualTo(8080);
        assertThat(traits.container().servicePortName()).isEqualTo("http");
        assertThat(traits.container().runAsUser()).isEqualTo(10001L);
        assertThat(traits.container().runAsNonRoot()).isTrue();
        assertThat(traits.container().capabilitiesDrop()).containsExactly("ALL");
        assertThat(traits.container().limitMemory()).isEqualTo(relay.getResources().getLimits().get("memory").toString());
        assertThat(traits.jvm()).as("no jvm trait: the image starts its own JVM, and jvm.enabled is deprecated").isNull();
        assertThat(traits.health().livenessProbe()).isEqualTo(relay.getLivenessProbe().getHttpGet().getPath());
        assertThat(traits.health().readinessProbe()).isEqualTo(relay.getReadinessProbe().getHttpGet().getPath());
        assertThat(traits.owner().targetLabels()).containsAll(
                Manifests.single(BASE.resolve("monitoring/servicemonitor.yaml"), ServiceMonitor.class)
                        .spec().selector().getMatchLabels().keySet());
        assertThat(integration.metadata().labels()).containsAllEntriesOf(
                deployment.getSpec().getTemplate().getMetadata().getLabels());

        // the same ConfigMaps at the same paths as the Deployment; no hotReload, which would roll the pod
        // on a change to any of them (Camel K 2.10 digests every ConfigMap in mount.resources), while the
        // relay reloads them itself
        assertThat(traits.mount().hotReload()).isNotEqualTo(Boolean.TRUE);
        Map<String, String> deploymentMounts = new HashMap<>();
        Map<String, Volume> volumes = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v));
        for (VolumeMount m : relay.getVolumeMounts()) {
            Volume v = volumes.get(m.getName());
            if (v.getConfigMap() != null) {
                deploymentMounts.put(v.getConfigMap().getName(), m.getMountPath());
            }
        }
        Map<String, String> camelKMounts = new HashMap<>();
        for (String resource : traits.mount().resources()) {
            Matcher m = Pattern.compile("configmap:([a-z0-9.-]+)@(/\\S+)").matcher(resource);
            assertThat(m.matches()).as("whole-ConfigMap resource: " + resource).isTrue();
            camelKMounts.put(m.group(1), m.group(2));
        }
        assertThat(camelKMounts).isEqualTo(deploymentMounts);
        PersistentVolumeClaim claim = Manifests.single(CAMEL_K.resolve("pvc.yaml"), PersistentVolumeClaim.class);
        assertThat(traits.mount().volumes()).containsExactly(claim.getMetadata().getName() + ":/data");
        assertThat(traits.mount().emptyDirs()).containsExactly("tmp:/tmp");

        // the same settings, and every key of the Secret template wired from the Secret
        Map<String, String> vars = new LinkedHashMap<>();
        for (String var : traits.environment().vars()) {
            int eq = var.indexOf('=');
            vars.put(var.substring(0, eq), var.substring(eq + 1));
        }
        env(relay).forEach((name, value) ->
                assertThat(vars.get(name)).as(name).isEqualTo(value.replaceAll("\\s+", " ").trim()));
        String secretName = Manifests.single(SECRET, Secret.class).getMetadata().getName();
        Map<String, String> fromSecret = vars.entrySet().stream()
                .filter(e -> e.getValue().startsWith("secret:"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(fromSecret.keySet()).isEqualTo(secretKeys());
        fromSecret.forEach((name, value) -> assertThat(value).isEqualTo("secret:" + secretName + "/" + name));
    }

    @Test
    void theCommentsAgreeThatTheRelayReloadsItsRoutesLive() throws IOException {
        // the relay reloads routes/*.yaml itself (RoutesReloader); a comment saying otherwise misleads operators
        try (Stream<Path> files = Files.walk(Manifests.K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".sh")
                    || f.toString().endsWith(".md")).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContain("start-up only", "read at start-up", "reads them at start-up");
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    static Container relayContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            assertThat(var.getValueFrom()).as(var.getName() + ": secrets come through envFrom").isNull();
            env.put(var.getName(), var.getValue());
        }
        return env;
    }

    static Set<String> secretKeys() {
        return new TreeSet<>(Manifests.single(SECRET, Secret.class).getStringData().keySet());
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum", "min", "max", "avg", "count", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "absent", "increase", "rate", "irate", "delta", "deriv",
            "vector", "time", "clamp_min", "clamp_max", "histogram_quantile", "max_over_time", "min_over_time",
            "avg_over_time", "changes", "resets", "topk", "bottomk", "label_replace");

    /** The metric names of a PromQL expression: identifiers outside selectors, ranges and label lists. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // string literals
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
        while (m.find()) {
            String word = m.group();
            if (!PROMQL_WORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }
}
