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

/** docker-compose.yml as plain maps (compose-spec shapes: short and long forms of environment and depends_on). */
final class Compose {

    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:?-([^}]*)}");

    final Map<String, Map<String, Object>> services;

    private Compose(Map<String, Map<String, Object>> services) {
        this.services = services;
    }

    static Compose load() {
        return parse(Repo.read("docker-compose.yml"));
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
        return new Compose(copy);
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The environment as written (values not interpolated); list entries {@code K=V} or a mapping. */
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
