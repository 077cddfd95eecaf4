package io.keyfleet.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml as plain maps (compose-spec shapes: short and long forms of environment and depends_on), with the
 * secrets secrets-init makes for each container.
 */
final class Compose {

    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:?-([^}]*)}");
    /** Where a container finds the variables secrets-init made for it (with-env-files.sh exports them). */
    static final String ENV_FILES = "/run/keyfleet/env";
    /** Where secrets-init mounts each container's secrets volume: {@code /secrets/<directory>}. */
    static final String SECRETS_INIT_ROOT = "/secrets/";

    final Map<String, Map<String, Object>> services;
    /** Container to the variables of its secrets volume, as secrets-init wrote them. */
    private final Map<String, Map<String, String>> secretFiles;

    private Compose(Map<String, Map<String, Object>> services, Map<String, Map<String, String>> secretFiles) {
        this.services = services;
        this.secretFiles = secretFiles;
    }

    /** docker-compose.yml with the secrets its secrets-init makes ({@link GeneratedSecrets#compose()}). */
    static Compose load() {
        Compose compose = parse(Repo.read("docker-compose.yml"));
        Map<String, Map<String, String>> files = new LinkedHashMap<>();
        Map<String, String> directories = compose.secretsInitDirectories();
        for (String name : compose.services.keySet()) {
            compose.mountedFrom(name, ENV_FILES).map(directories::get).ifPresent(directory ->
                    files.put(name, GeneratedSecrets.files(GeneratedSecrets.compose().resolve(directory))));
        }
        return new Compose(compose.services, files);
    }

    /** Volume to its directory under SECRETS_ROOT, from secrets-init's mounts ({@code volume:/secrets/<directory>}). */
    Map<String, String> secretsInitDirectories() {
        Map<String, String> directories = new LinkedHashMap<>();
        if (services.containsKey("secrets-init")) {
            for (String volume : list("secrets-init", "volumes")) {
                String[] parts = volume.split(":");
                if (parts.length >= 2 && parts[1].startsWith(SECRETS_INIT_ROOT)) {
                    directories.put(parts[0], parts[1].substring(SECRETS_INIT_ROOT.length()));
                }
            }
        }
        return directories;
    }

    /** The volume (or host path) mounted exactly at {@code path} in the service's container. */
    Optional<String> mountedFrom(String service, String path) {
        for (String volume : list(service, "volumes")) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(path)) {
                return Optional.of(parts[0]);
            }
        }
        return Optional.empty();
    }

    /** The variables secrets-init made for the container (empty for one without a secrets volume). */
    Map<String, String> secretFiles(String name) {
        return secretFiles.getOrDefault(name, Map.of());
    }

    @SuppressWarnings("unchecked")
    static Compose parse(String yaml) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Object services = root.get("services");
        if (!(services instanceof Map<?, ?>)) {
            throw new AssertionError("docker-compose.yml has no services mapping");
        }
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        ((Map<String, Object>) services).forEach((name, body) -> copy.put(name, (Map<String, Object>) body));
        return new Compose(copy, Map.of());
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /**
     * The environment the container gets: as written (values not interpolated; list entries {@code K=V} or a
     * mapping), and the variables of its secrets volume.
     */
    Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                result.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        result.putAll(secretFiles(name));
        return result;
    }

    /** Dependency to condition; the short list form means {@code service_started}. */
    Map<String, String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> list) {
            list.forEach(d -> result.put(String.valueOf(d), "service_started"));
        } else if (dependsOn instanceof Map<?, ?> map) {
            map.forEach((d, spec) -> result.put(String.valueOf(d),
                    spec instanceof Map<?, ?> s && s.get("condition") != null ? String.valueOf(s.get("condition")) : "service_started"));
        }
        return result;
    }

    /** The healthcheck's test as one string, empty when there is none or it is disabled. */
    Optional<String> healthcheck(String name) {
        Object healthcheck = service(name).get("healthcheck");
        if (!(healthcheck instanceof Map<?, ?> map) || Boolean.TRUE.equals(map.get("disable")) || map.get("test") == null) {
            return Optional.empty();
        }
        Object test = map.get("test");
        String text = test instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList()) : String.valueOf(test);
        return text.equals("NONE") || text.startsWith("NONE ") ? Optional.empty() : Optional.of(text);
    }

    /** {@code build:} as a mapping (the short form, a context path, becomes {@code context}); empty when the image is pulled. */
    Optional<Map<String, String>> build(String name) {
        Object build = service(name).get("build");
        Map<String, String> result = new LinkedHashMap<>();
        if (build instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (build != null) {
            result.put("context", String.valueOf(build));
        }
        return result.isEmpty() ? Optional.empty() : Optional.of(result);
    }

    /** A job that runs once: no restart, and the services that need it wait for it to complete. */
    boolean isOneShot(String name) {
        return "no".equals(String.valueOf(service(name).get("restart")))
                && services.keySet().stream().anyMatch(other -> "service_completed_successfully".equals(dependsOn(other).get(name)));
    }

    List<String> list(String name, String key) {
        Object value = service(name).get(key);
        List<String> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> result.add(String.valueOf(v)));
        } else if (value != null) {
            result.add(String.valueOf(value));
        }
        return result;
    }

    /** {@code ${VAR:-default}} replaced by its default, as compose does when VAR is unset. */
    static String withDefaults(String value) {
        Matcher matcher = DEFAULTED.matcher(value);
        return matcher.replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }
}
