package io.keyfleet.deploy;

import io.keyfleet.events.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

    /**
     * The broker: clients only on SASL_SSL listeners with SCRAM-SHA-512; a listener without SASL or without TLS bound
     * to the container's loopback (so no other container reaches it); ACLs decide (StandardAuthorizer, nobody allowed
     * where no ACL is found).
     */
    static List<String> kafkaBroker(Compose compose, String service) {
        List<String> violations = new ArrayList<>();
        Map<String, String> env = compose.environment(service);
        Map<String, String> protocols = new HashMap<>();
        for (String entry : env.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").split(",")) {
            String[] pair = entry.split(":");
            if (pair.length == 2) {
                protocols.put(pair[0].strip(), pair[1].strip());
            }
        }
        for (String listener : env.getOrDefault("KAFKA_LISTENERS", "").split(",")) {
            String name = listener.substring(0, Math.max(0, listener.indexOf("://"))).strip();
            String host = listener.substring(listener.indexOf("://") + 3, listener.lastIndexOf(':'));
            String protocol = protocols.getOrDefault(name, name);
            boolean loopback = host.equals("localhost") || host.equals("127.0.0.1");
            if (!protocol.equals("SASL_SSL") && !loopback) {
                violations.add(service + ": listener " + listener + " is " + protocol + " and reachable from other containers");
            }
        }
        if (!"SCRAM-SHA-512".equals(env.get("KAFKA_SASL_ENABLED_MECHANISMS"))) {
            violations.add(service + ": KAFKA_SASL_ENABLED_MECHANISMS is not SCRAM-SHA-512");
        }
        if (!String.valueOf(env.get("KAFKA_AUTHORIZER_CLASS_NAME")).endsWith("StandardAuthorizer")) {
            violations.add(service + ": no StandardAuthorizer (ACLs would not be enforced)");
        }
        if ("true".equals(env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"))) {
            violations.add(service + ": allows everyone where no ACL is found");
        }
        return violations;
    }

    /**
     * The services of Topics.SERVICES use the broker's SASL_SSL listener as their own SCRAM user, trusting a CA file of
     * a mounted volume; the sandbox gets no Kafka at all.
     */
    static List<String> kafkaClients(Compose compose, int saslSslPort) {
        List<String> violations = new ArrayList<>();
        for (ServiceCatalog.Service service : present(compose)) {
            String name = service.name();
            Map<String, String> env = compose.environment(name);
            if (!Topics.SERVICES.contains(name)) {
                env.keySet().stream().filter(k -> k.startsWith("KAFKA_")).forEach(k -> violations.add(name + ": sets " + k + " but has no Kafka user"));
                continue;
            }
            if (!("kafka:" + saslSslPort).equals(env.get("KAFKA_BOOTSTRAP_SERVERS"))) {
                violations.add(name + ": KAFKA_BOOTSTRAP_SERVERS is " + env.get("KAFKA_BOOTSTRAP_SERVERS") + ", not the SASL_SSL listener kafka:" + saslSslPort);
            }
            TlsRules.expect(env, "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", name, violations);
            TlsRules.expect(env, "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", name, violations);
            String jaas = env.getOrDefault("KAFKA_SASL_JAAS_CONFIG", "");
            if (!jaas.startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required ")
                    || !jaas.contains(" username=\"" + name + "\" ")) {
                violations.add(name + ": KAFKA_SASL_JAAS_CONFIG is not a SCRAM login as user " + name);
            }
            if (mountedFrom(compose, name, env.get("KAFKA_SSL_TRUSTSTORE_LOCATION")).isEmpty()) {
                violations.add(name + ": KAFKA_SSL_TRUSTSTORE_LOCATION " + env.get("KAFKA_SSL_TRUSTSTORE_LOCATION") + " is on no mounted volume");
            }
        }
        return violations;
    }

    /** The users and ACLs of the compose ACL script: one user per service of Topics.SERVICES, the ACLs Topics implies. */
    static List<String> kafkaAcls(String script) {
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> users = KafkaAcls.ofComposeScript(script);
        for (String service : Topics.SERVICES) {
            if (!users.containsKey(service)) {
                violations.add("create-acls.sh: no user " + service);
            } else {
                violations.addAll(KafkaAcls.compare("create-acls.sh " + service, service, users.get(service)));
            }
        }
        users.keySet().stream().filter(u -> !Topics.SERVICES.contains(u))
                .forEach(u -> violations.add("create-acls.sh: user " + u + " is no service of Topics.SERVICES"));
        return violations;
    }

    /**
     * Every Keyfleet service serves HTTPS only on its quarkus.http.port with a certificate and key of its own volume
     * (tls-{@literal <service>}, made for its compose name by tls-init), starts through with-internal-ca.sh and
     * health-checks over HTTPS; no value of any container contains {@code http://}; JDBC URLs verify the server.
     */
    static List<String> tls(Compose compose) {
        List<String> violations = new ArrayList<>();
        Set<String> issued = new TreeSet<>();
        compose.list("tls-init", "volumes").forEach(v -> issued.add(v.split(":")[0]));
        for (ServiceCatalog.Service service : present(compose)) {
            String name = service.name();
            Map<String, String> env = compose.environment(name);
            TlsRules.expect(env, "QUARKUS_HTTP_INSECURE_REQUESTS", "disabled", name, violations);
            TlsRules.expect(env, "QUARKUS_HTTP_SSL_PORT", String.valueOf(service.httpPort()), name, violations);
            for (String variable : List.of(TlsRules.CERT_ENV, TlsRules.KEY_ENV)) {
                Optional<String> volume = mountedFrom(compose, name, env.get(variable));
                if (!volume.equals(Optional.of("tls-" + name)) || !issued.contains("tls-" + name)) {
                    violations.add(name + ": " + variable + " " + env.get(variable) + " is not on volume tls-" + name + " of tls-init");
                }
            }
            if (compose.list(name, "entrypoint").stream().noneMatch(part -> part.contains("/with-internal-ca.sh"))) {
                violations.add(name + ": does not start through with-internal-ca.sh (the JVM would not trust the compose CA)");
            }
            if (!compose.healthcheck(name).orElse("").contains("https://")) {
                violations.add(name + ": healthcheck does not use https");
            }
            String url = env.get("KEYFLEET_DB_URL");
            if (TlsRules.verifyFullRootCert(url).flatMap(path -> mountedFrom(compose, name, path)).isEmpty()) {
                violations.add(name + ": KEYFLEET_DB_URL does not verify the server (sslmode=verify-full, sslrootcert on a volume): " + url);
            }
        }
        for (String name : compose.services.keySet()) {
            compose.environment(name).forEach((key, value) -> {
                if (value != null && value.contains("http://")) {
                    violations.add(name + ": " + key + " " + value + " is plain HTTP");
                }
            });
        }
        return violations;
    }

    /** The named volume (or host path) mounted at the directory holding {@code path} in the service's container. */
    static Optional<String> mountedFrom(Compose compose, String service, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String volume : compose.list(service, "volumes")) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && path.startsWith(parts[1] + "/")) {
                return Optional.of(parts[0]);
            }
        }
        return Optional.empty();
    }
}
