package io.alertrelay.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * The custom resources the manifests use, as strict records: the fields of their CRDs that these
 * manifests may set (transcribed from the Prometheus Operator's API reference and the Camel K trait
 * documentation). A field not listed here fails the parse: check the CRD, then add it.
 */
final class CustomResources {

    private CustomResources() {
    }

    record Meta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    }

    // --- monitoring.coreos.com/v1 ---------------------------------------------------------------

    record ServiceMonitor(String apiVersion, String kind, Meta metadata, ServiceMonitorSpec spec) {
    }

    record ServiceMonitorSpec(LabelSelector selector, NamespaceSelector namespaceSelector, String jobLabel,
            List<String> targetLabels, List<Endpoint> endpoints) {
    }

    record NamespaceSelector(Boolean any, List<String> matchNames) {
    }

    record Endpoint(String port, String targetPort, String path, String scheme, String interval, String scrapeTimeout,
            Boolean honorLabels) {
    }

    record PrometheusRule(String apiVersion, String kind, Meta metadata, PrometheusRuleSpec spec) {
    }

    record PrometheusRuleSpec(List<RuleGroup> groups) {
    }

    record RuleGroup(String name, String interval, List<Rule> rules) {
    }

    record Rule(String alert, String record, String expr, @JsonProperty("for") String forDuration,
            @JsonProperty("keep_firing_for") String keepFiringFor, Map<String, String> labels,
            Map<String, String> annotations) {
    }

    // --- camel.apache.org/v1 --------------------------------------------------------------------

    record Integration(String apiVersion, String kind, Meta metadata, IntegrationSpec spec) {
    }

    record IntegrationSpec(Integer replicas, Traits traits) {
    }

    record Traits(ContainerTrait container, JvmTrait jvm, DeploymentTrait deployment, ServiceTrait service,
            OwnerTrait owner, HealthTrait health, MountTrait mount, EnvironmentTrait environment,
            AffinityTrait affinity, PdbTrait pdb) {
    }

    record ContainerTrait(Boolean enabled, Boolean auto, String requestCPU, String requestMemory, String limitCPU,
            String limitMemory, List<String> ports, Boolean expose, Integer port, String portName,
            Integer servicePort, String servicePortName, String name, String image, String imagePullPolicy,
            Long runAsUser, Boolean runAsNonRoot, String seccompProfileType, Boolean allowPrivilegeEscalation,
            List<String> capabilitiesDrop, List<String> capabilitiesAdd) {
    }

    record JvmTrait(Boolean enabled, Boolean debug, Boolean debugSuspend, String debugAddress, List<String> options,
            String classpath, String jar) {
    }

    /** The rolling update's bounds are integers in the CRD (*int), not int-or-string. */
    record DeploymentTrait(Boolean enabled, Integer progressDeadlineSeconds, String strategy,
            Integer rollingUpdateMaxUnavailable, Integer rollingUpdateMaxSurge) {
    }

    /** Its pod (anti-)affinity is "required during scheduling", on kubernetes.io/hostname. */
    record AffinityTrait(Boolean enabled, Boolean podAffinity, Boolean podAntiAffinity, List<String> nodeAffinityLabels,
            List<String> podAffinityLabels, List<String> podAntiAffinityLabels) {
    }

    /** A PodDisruptionBudget for the Integration's pods: numbers or percentages as strings. */
    record PdbTrait(Boolean enabled, String minAvailable, String maxUnavailable) {
    }

    record ServiceTrait(Boolean enabled, Boolean auto, Boolean nodePort, String type) {
    }

    record OwnerTrait(Boolean enabled, List<String> targetAnnotations, List<String> targetLabels) {
    }

    record HealthTrait(Boolean enabled,
            Boolean livenessProbeEnabled, String livenessScheme, Integer livenessInitialDelay, Integer livenessTimeout,
            Integer livenessPeriod, Integer livenessSuccessThreshold, Integer livenessFailureThreshold,
            String livenessProbe, Integer livenessPort,
            Boolean readinessProbeEnabled, String readinessScheme, Integer readinessInitialDelay,
            Integer readinessTimeout, Integer readinessPeriod, Integer readinessSuccessThreshold,
            Integer readinessFailureThreshold, String readinessProbe, Integer readinessPort,
            Boolean startupProbeEnabled, String startupScheme, Integer startupInitialDelay, Integer startupTimeout,
            Integer startupPeriod, Integer startupSuccessThreshold, Integer startupFailureThreshold,
            String startupProbe, Integer startupPort) {
    }

    record MountTrait(Boolean enabled, List<String> configs, List<String> resources, List<String> volumes,
            List<String> emptyDirs, Boolean hotReload) {
    }

    record EnvironmentTrait(Boolean enabled, Boolean containerMeta, Boolean httpProxy, List<String> vars) {
    }
}
