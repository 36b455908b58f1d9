package io.alertrelay.k8s;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the manifests under k8s/ as typed objects: the core kinds as fabric8's Kubernetes model, the
 * custom resources (ServiceMonitor, PrometheusRule, Camel K Integration) as the records of
 * {@link CustomResources}, transcribed from their CRDs' documentation. An unknown field anywhere
 * fails, as a typo would be silently dropped (or rejected) by the API server.
 */
final class Manifests {

    static final Path K8S = Path.of("k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path CONFIG = BASE.resolve("config");
    static final Path EXAMPLE = K8S.resolve("overlays/example");
    static final Path CAMEL_K = K8S.resolve("camel-k");
    /** Cluster mode: replicas on one PostgreSQL, as a kustomize overlay of the base and as a Camel K variant. */
    static final Path HA = K8S.resolve("overlays/ha");
    static final Path CAMEL_K_HA = CAMEL_K.resolve("ha");

    /** apiVersion/kind of every kind the manifests may use, with its typed class. */
    static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "monitoring.coreos.com/v1/ServiceMonitor", CustomResources.ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", CustomResources.PrometheusRule.class,
            "camel.apache.org/v1/Integration", CustomResources.Integration.class);

    /**
     * Strict: unknown properties and duplicate keys fail. fabric8's model classes keep unknown fields
     * in an "additionalProperties" map (a Jackson any-setter); that is switched off here, so an
     * unknown field fails like in any other bean.
     */
    static final ObjectMapper STRICT = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule("no-any-setter").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                        BeanDeserializerBuilder builder) {
                    if (bean.getBeanClass().getName().startsWith("io.fabric8.")) {
                        builder.setAnySetter(null);
                    }
                    return builder;
                }
            }))
            .build();

    static final String PATCH_DIRECTIVE = "$patch";
    static final Set<String> PATCH_DIRECTIVES = Set.of("delete", "replace", "merge");

    /** One YAML document of a file. */
    record Doc(Path file, int index, JsonNode node) {
        String apiVersion() {
            return node.path("apiVersion").asText("");
        }

        String kind() {
            return node.path("kind").asText("");
        }

        String name() {
            return node.path("metadata").path("name").asText("");
        }

        String where() {
            return file + " (document " + (index + 1) + ", " + kind() + " " + name() + ")";
        }

        /**
         * The typed object; an unknown kind or field fails with where it is. A strategic merge patch's
         * {@code $patch} directive (kustomize: {@code $patch: delete} drops the resource) is not a field
         * of the kind: it is checked and left out.
         */
        Object typed() {
            Class<?> type = KINDS.get(apiVersion() + "/" + kind());
            if (type == null) {
                throw new AssertionError(where() + ": unknown kind " + apiVersion() + "/" + kind()
                        + " (known: " + KINDS.keySet() + "; add a new kind to Manifests.KINDS with a typed class)");
            }
            JsonNode fields = node;
            if (node.has(PATCH_DIRECTIVE)) {
                String directive = node.get(PATCH_DIRECTIVE).asText();
                if (!PATCH_DIRECTIVES.contains(directive)) {
                    throw new AssertionError(where() + ": unknown " + PATCH_DIRECTIVE + " directive " + directive
                            + " (known: " + PATCH_DIRECTIVES + ")");
                }
                fields = ((ObjectNode) node).deepCopy().without(PATCH_DIRECTIVE);
            }
            try {
                return STRICT.treeToValue(fields, type);
            } catch (IOException e) {
                throw new AssertionError(where() + ": not a valid " + kind() + ": " + e.getMessage(), e);
            }
        }

        /** A strategic merge patch that removes its resource ({@code $patch: delete}). */
        boolean deletes() {
            return node.path(PATCH_DIRECTIVE).asText("").equals("delete");
        }

        <T> T as(Class<T> type) {
            return type.cast(typed());
        }
    }

    private Manifests() {
    }

    static List<Doc> read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> parse(Path source, String yaml) {
        List<Doc> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new Doc(source, docs.size(), node));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(source + ": not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /**
     * The manifest files: every YAML file under k8s/ except the kustomizations themselves, the
     * generated ConfigMap sources in k8s/base/config/ (routes, templates, relay.yaml) and the relay's
     * own configuration files (relay.yaml) of overlays.
     */
    static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !p.getFileName().toString().equals("relay.yaml"))
                    .filter(p -> !p.startsWith(CONFIG))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only document of a file, typed. */
    static <T> T single(Path file, Class<T> type) {
        List<Doc> docs = read(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + ": expected one document, found " + docs.size());
        }
        return docs.get(0).as(type);
    }

    /** A kustomization.yaml as a plain tree (its schema varies between kustomize versions). */
    static JsonNode kustomization(Path dir) {
        List<Doc> docs = read(dir.resolve("kustomization.yaml"));
        return docs.get(0).node();
    }
}
