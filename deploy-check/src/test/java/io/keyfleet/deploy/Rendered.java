package io.keyfleet.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One overlay rendered by {@code kubectl kustomize} and parsed strictly: every object must be of a kind listed here;
 * built-in kinds are read into the fabric8 model with unknown fields refused (fabric8 would keep them in
 * {@code additionalProperties}, so those must stay empty at every level); custom resources (Strimzi, CloudNativePG)
 * are kept as generic resources and checked field by field by the tests.
 */
final class Rendered {

    static final Map<String, Class<? extends HasMetadata>> BUILT_IN = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    static final Set<String> CUSTOM = Set.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic", "kafka.strimzi.io/v1beta2/Kafka", "kafka.strimzi.io/v1beta2/KafkaNodePool",
            "kafka.strimzi.io/v1beta2/KafkaUser", "cert-manager.io/v1/Certificate", "cert-manager.io/v1/Issuer",
            "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Database");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    final String overlay;
    final List<HasMetadata> objects;

    private Rendered(String overlay, List<HasMetadata> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    /**
     * Renders {@code deploy/k8s/overlays/<overlay>} (from a copy of deploy/ with the dev overlay's secrets made, see
     * {@link GeneratedSecrets#deployCopy()}); fails with a clear message when kubectl is missing or fails.
     */
    static Rendered overlay(String overlay) {
        String yaml = kustomize(GeneratedSecrets.deployCopy().resolve("k8s/overlays/" + overlay).toString());
        return new Rendered(overlay, parse(yaml));
    }

    /** Objects from YAML text instead of a render (the checkers' self-tests). */
    static Rendered of(String name, String yaml) {
        return new Rendered(name, parse(yaml));
    }

    static String kustomize(String directory) {
        Process process;
        java.io.File errors;
        try {
            errors = java.io.File.createTempFile("kustomize", ".err");
            errors.deleteOnExit();
            process = new ProcessBuilder("kubectl", "kustomize", directory)
                    .redirectError(ProcessBuilder.Redirect.to(errors)).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render deploy/k8s (kubectl kustomize) and could not be run: "
                    + e.getMessage() + ". Install kubectl (it bundles kustomize); these checks never skip.", e);
        }
        try {
            process.getOutputStream().close();
            byte[] out = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + directory + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed (exit " + process.exitValue() + "):\n"
                        + java.nio.file.Files.readString(errors.toPath()));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("Reading kubectl's output failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while rendering " + directory, e);
        }
    }

    /** Parses a multi-document YAML stream; throws on a document that is not strictly one of the known kinds. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
                    continue;
                }
                objects.add(strict(document));
            }
        } catch (IOException e) {
            throw new AssertionError("Rendered YAML does not parse: " + e.getMessage(), e);
        }
        return objects;
    }

    static HasMetadata strict(JsonNode document) {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        String name = document.path("metadata").path("name").asText("<no name>");
        Class<? extends HasMetadata> model = BUILT_IN.get(type);
        try {
            if (model != null) {
                HasMetadata object = STRICT.treeToValue(document, model);
                List<String> unknown = new ArrayList<>();
                unknownFields(object, type + " " + name, unknown, new IdentityHashMap<>());
                if (!unknown.isEmpty()) {
                    throw new AssertionError("Fields the Kubernetes model does not know: " + unknown);
                }
                return object;
            }
            if (CUSTOM.contains(type)) {
                return STRICT.treeToValue(document, GenericKubernetesResource.class);
            }
        } catch (IOException e) {
            throw new AssertionError(type + " " + name + " does not match the Kubernetes model: " + e.getMessage(), e);
        }
        throw new AssertionError("Unexpected kind " + type + " (" + name + "): add it to Rendered with its checks");
    }

    /** Walks the fabric8 object graph; any non-empty additionalProperties is a field the model does not know. */
    static void unknownFields(Object object, String path, List<String> into, IdentityHashMap<Object, Boolean> seen) {
        if (object == null || seen.put(object, Boolean.TRUE) != null) {
            return;
        }
        if (object instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                unknownFields(element, path + "[" + i++ + "]", into, seen);
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, into, seen));
            return;
        }
        if (!object.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(object);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    into.add(path + ": " + extra.keySet());
                }
                continue;
            }
            String field = getter.getName().substring(3);
            unknownFields(value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), into, seen);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<GenericKubernetesResource> custom(String apiVersion, String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(o -> apiVersion.equals(o.getApiVersion()) && kind.equals(o.getKind())).toList();
    }

    /** A custom resource as a JSON tree, for {@code at("/spec/...")}. */
    static JsonNode tree(HasMetadata resource) {
        return STRICT.valueToTree(resource);
    }

    @Override
    public String toString() {
        return "overlay " + overlay;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
