package io.keyfleet.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules docker-compose.yml must keep; each returns its violations. */
final class ComposeRules {

    /** {@code host:port} in a value, e.g. {@code http://key-service:8081} or {@code kafka:9092}. */
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|//|,)([a-z][a-z0-9-]*):(\\d+)");
    private static final Pattern EXPORTED = Pattern.compile("export\\s+([A-Z][A-Z0-9_]*)=");

    private ComposeRules() {
    }

    /** Every long-running service has a health check; only one-shot jobs (awaited for completion) go without. */
    static List<String> healthchecks(Compose compose) {
        List<String> violations = new ArrayList<>();
        for (String name : compose.services.keySet()) {
            if (compose.healthcheck(name).isEmpty() && !compose.isOneShot(name)) {
                violations.add(name + ": no healthcheck (and not a one-shot job others wait to complete)");
            }
        }
        return violations;
    }

    /**
     * A dependency on a service with a health check waits for service_healthy, on a one-shot job for
     * service_completed_successfully; only one-shot helpers may start beside what they prepare (service_started).
     * And every service another one's environment points at (host:port) is such a dependency.
     */
    static List<String> dependencies(Compose compose) {
        List<String> violations = new ArrayList<>();
        for (String name : compose.services.keySet()) {
            Map<String, String> dependsOn = compose.dependsOn(name);
            dependsOn.forEach((dependency, condition) -> {
                if (!compose.services.containsKey(dependency)) {
                    violations.add(name + ": depends on unknown service " + dependency);
                    return;
                }
                String expected = compose.isOneShot(dependency) ? "service_completed_successfully"
                        : compose.healthcheck(dependency).isPresent() ? "service_healthy" : null;
                boolean helperBeside = compose.isOneShot(name) && condition.equals("service_started");
                if (expected == null) {
                    violations.add(name + ": depends on " + dependency + ", which has no health check to wait for");
                } else if (!condition.equals(expected) && !helperBeside) {
                    violations.add(name + ": depends on " + dependency + " with " + condition + ", expected " + expected);
                }
            });
            for (Map.Entry<String, String> env : compose.environment(name).entrySet()) {
                if (env.getValue() == null) {
                    continue;
                }
                Matcher matcher = HOST_PORT.matcher(env.getValue());
                while (matcher.find()) {
                    String host = matcher.group(1);
                    if (compose.services.containsKey(host) && !host.equals(name) && !dependsOn.containsKey(host)) {
                        violations.add(name + ": " + env.getKey() + " points at " + host + " but does not depend on it");
                    }
                }
            }
        }
        return violations;
    }

    /** Variables given to a Keyfleet service (environment, and exported by its entrypoint) must be ones it reads. */
    static List<String> environment(Compose compose) {
        List<String> violations = new ArrayList<>();
        for (ServiceCatalog.Service service : present(compose)) {
            Set<String> reads = ServiceCatalog.environment(service);
            List<String> given = new ArrayList<>(compose.environment(service.name()).keySet());
            Matcher exported = EXPORTED.matcher(String.join(" ", compose.list(service.name(), "entrypoint")));
            while (exported.find()) {
                given.add(exported.group(1));
            }
            given.stream().filter(v -> !reads.contains(v)).forEach(v -> violations.add(service.name() + ": " + v + " is read by nothing"));
        }
        return violations;
    }

    /** Published ports, health checks and URLs of the Keyfleet services use each one's quarkus.http.port. */
    static List<String> ports(Compose compose) {
        List<String> violations = new ArrayList<>();
        for (ServiceCatalog.Service service : present(compose)) {
            int port = service.httpPort();
            List<String> published = compose.list(service.name(), "ports");
            if (published.isEmpty()) {
                violations.add(service.name() + ": publishes no port");
            }
            for (String mapping : published) {
                String container = mapping.substring(mapping.lastIndexOf(':') + 1).replace("/tcp", "");
                if (!container.equals(String.valueOf(port))) {
                    violations.add(service.name() + ": publishes container port " + container + ", quarkus.http.port is " + port);
                }
            }
            String health = compose.healthcheck(service.name()).orElse("");
            if (!health.contains("/" + port + " ") && !health.contains(":" + port + "/")) {
                violations.add(service.name() + ": healthcheck does not probe port " + port);
            }
            if (!health.contains("/q/health/ready")) {
                violations.add(service.name() + ": healthcheck does not ask /q/health/ready");
            }
            for (String other : compose.services.keySet()) {
                compose.environment(other).forEach((key, value) -> {
                    Matcher matcher = HOST_PORT.matcher(value == null ? "" : value);
                    while (matcher.find()) {
                        if (matcher.group(1).equals(service.name()) && !matcher.group(2).equals(String.valueOf(port))) {
                            violations.add(other + ": " + key + " reaches " + service.name() + " on " + matcher.group(2) + ", not " + port);
                        }
                    }
                });
            }
        }
        return violations;
    }

    private static List<ServiceCatalog.Service> present(Compose compose) {
        return ServiceCatalog.ALL.stream().filter(s -> compose.services.containsKey(s.name())).toList();
    }

    /** Every image pinned (the ${VAR:-default} defaults included); every built image says which image it makes. */
    static List<String> images(Compose compose) {
        List<String> violations = new ArrayList<>();
        for (String name : compose.services.keySet()) {
            Object image = compose.service(name).get("image");
            if (image == null) {
                violations.add(name + ": no image name");
            } else if (!ManifestRules.isPinned(Compose.withDefaults(String.valueOf(image)))) {
                violations.add(name + ": image " + image + " is not pinned");
            }
        }
        return violations;
    }
}
