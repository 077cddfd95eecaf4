package io.keyfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.keyfleet.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Authentication and TLS in a rendered overlay: a Kafka user per service with exactly the ACLs of Topics.java, Kafka
 * clients on SASL_SSL with SCRAM and the cluster CA, HTTPS only with a cert-manager certificate for the service's
 * names, no {@code http://} anywhere, PostgreSQL with {@code sslmode=verify-full}. Each method returns violations.
 */
final class TlsRules {

    static final String STRIMZI = "kafka.strimzi.io/v1beta2";
    static final String CERT_MANAGER = "cert-manager.io/v1";
    static final String KAFKA_CLUSTER = "keyfleet-kafka";
    /** The Strimzi listener with TLS and SCRAM-SHA-512 the services use (dev's Kafka; prod's platform cluster). */
    static final int KAFKA_TLS_PORT = 9093;
    static final String CERT_ENV = "QUARKUS_TLS_KEY_STORE_PEM__0__CERT";
    static final String KEY_ENV = "QUARKUS_TLS_KEY_STORE_PEM__0__KEY";

    private TlsRules() {
    }

    /** One KafkaUser per service of Topics.SERVICES, SCRAM-SHA-512, simple authorization, the ACLs Topics implies. */
    static List<String> kafkaUsers(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        List<GenericKubernetesResource> users = rendered.custom(STRIMZI, "KafkaUser");
        for (String service : Topics.SERVICES) {
            List<GenericKubernetesResource> own = users.stream().filter(u -> u.getMetadata().getName().equals(service)).toList();
            if (own.size() != 1) {
                violations.add("KafkaUser " + service + ": " + own.size() + " found, expected 1");
                continue;
            }
            JsonNode user = Rendered.tree(own.get(0));
            String who = "KafkaUser " + service;
            if (!KAFKA_CLUSTER.equals(user.at("/metadata/labels/strimzi.io~1cluster").asText())) {
                violations.add(who + ": not labelled strimzi.io/cluster=" + KAFKA_CLUSTER);
            }
            if (!"scram-sha-512".equals(user.at("/spec/authentication/type").asText())) {
                violations.add(who + ": authentication is not scram-sha-512");
            }
            if (!"simple".equals(user.at("/spec/authorization/type").asText())) {
                violations.add(who + ": authorization is not simple (ACLs)");
            }
            violations.addAll(KafkaAcls.compare(who, service, KafkaAcls.ofKafkaUser(user)));
        }
        users.stream().map(u -> u.getMetadata().getName()).filter(name -> !Topics.SERVICES.contains(name))
                .forEach(name -> violations.add("KafkaUser " + name + " is no service of Topics.SERVICES"));
        return violations;
    }

    /**
     * The services of Topics.SERVICES reach Kafka on the TLS listener with SASL_SSL and SCRAM-SHA-512 as their own
     * user (its Strimzi Secret), trusting a CA file from a mounted Secret; every other Deployment gets no Kafka at all.
     */
    static List<String> kafkaClients(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            String where = "Deployment " + name;
            Map<String, String> env = ManifestRules.environment(rendered, deployment);
            if (!Topics.SERVICES.contains(name)) {
                env.keySet().stream().filter(k -> k.startsWith("KAFKA_"))
                        .forEach(k -> violations.add(where + ": sets " + k + " but has no Kafka user"));
                continue;
            }
            String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "");
            for (String server : bootstrap.split(",")) {
                if (!server.strip().endsWith(":" + KAFKA_TLS_PORT)) {
                    violations.add(where + ": KAFKA_BOOTSTRAP_SERVERS " + server + " is not the TLS listener (" + KAFKA_TLS_PORT + ")");
                }
            }
            expect(env, "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", where, violations);
            expect(env, "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", where, violations);
            Optional<EnvVar> jaas = envVar(deployment, "KAFKA_SASL_JAAS_CONFIG");
            boolean ownSecret = jaas.map(EnvVar::getValueFrom).map(v -> v.getSecretKeyRef())
                    .filter(ref -> name.equals(ref.getName()) && "sasl.jaas.config".equals(ref.getKey())).isPresent();
            if (!ownSecret) {
                violations.add(where + ": KAFKA_SASL_JAAS_CONFIG does not come from Secret " + name + " key sasl.jaas.config");
            }
            String truststore = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
            if (truststore == null || secretMounted(deployment, truststore).isEmpty()) {
                violations.add(where + ": KAFKA_SSL_TRUSTSTORE_LOCATION " + truststore + " is no file of a mounted Secret");
            }
        }
        return violations;
    }

    /**
     * The Strimzi Kafka of an overlay: only TLS listeners, each authenticated and open only to the pods its
     * networkPolicyPeers name; simple authorization; a User Operator.
     */
    static List<String> kafkaCluster(GenericKubernetesResource kafka) {
        List<String> violations = new ArrayList<>();
        JsonNode tree = Rendered.tree(kafka);
        boolean tlsPort = false;
        for (JsonNode listener : tree.at("/spec/kafka/listeners")) {
            String where = "Kafka listener " + listener.path("name").asText();
            if (!listener.path("tls").asBoolean(false)) {
                violations.add(where + ": plaintext (tls is not true)");
            }
            if (!"scram-sha-512".equals(listener.at("/authentication/type").asText())) {
                violations.add(where + ": authentication is not scram-sha-512");
            }
            if (listener.path("networkPolicyPeers").isEmpty()) {
                violations.add(where + ": no networkPolicyPeers (every pod of the cluster could connect)");
            }
            tlsPort |= listener.path("port").asInt() == KAFKA_TLS_PORT;
        }
        if (!tlsPort) {
            violations.add("Kafka: no listener on " + KAFKA_TLS_PORT + ", the port the services use");
        }
        if (!"simple".equals(tree.at("/spec/kafka/authorization/type").asText())) {
            violations.add("Kafka: authorization is not simple (ACLs of the KafkaUsers)");
        }
        if (tree.at("/spec/entityOperator/userOperator").isMissingNode()) {
            violations.add("Kafka: no User Operator (nobody creates the KafkaUsers)");
        }
        return violations;
    }

    /**
     * Every Deployment serves HTTPS only, on its quarkus.http.port, with the certificate and key of a mounted Secret
     * that a cert-manager Certificate (with an issuer) issues for the service's name and its name in the namespace;
     * probes use HTTPS; the JVM trust store gets the internal CA (with-internal-ca.sh).
     */
    static List<String> https(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            String where = "Deployment " + name;
            Map<String, String> env = ManifestRules.environment(rendered, deployment);
            expect(env, "QUARKUS_HTTP_INSECURE_REQUESTS", "disabled", where, violations);
            expect(env, "QUARKUS_HTTP_SSL_PORT", String.valueOf(ServiceCatalog.named(name).httpPort()), where, violations);
            Set<String> secrets = new TreeSet<>();
            for (String variable : List.of(CERT_ENV, KEY_ENV)) {
                Optional<String> secret = Optional.ofNullable(env.get(variable)).flatMap(path -> secretMounted(deployment, path));
                if (secret.isEmpty()) {
                    violations.add(where + ": " + variable + " " + env.get(variable) + " is no file of a mounted Secret");
                }
                secret.ifPresent(secrets::add);
            }
            if (secrets.size() == 1) {
                violations.addAll(certificateFor(rendered, secrets.iterator().next(), name, deployment.getMetadata().getNamespace()));
            } else if (secrets.size() > 1) {
                violations.add(where + ": certificate and key come from different Secrets " + secrets);
            }
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            for (Probe probe : Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())
                    .filter(p -> p != null).toList()) {
                if (probe.getHttpGet() == null || !"HTTPS".equals(probe.getHttpGet().getScheme())) {
                    violations.add(where + ": a probe does not use scheme HTTPS");
                }
            }
            if (container.getCommand() == null || container.getCommand().stream().noneMatch(c -> c.endsWith("/with-internal-ca.sh"))) {
                violations.add(where + ": does not start through with-internal-ca.sh (the JVM would not trust the internal CA)");
            }
        }
        return violations;
    }

    private static List<String> certificateFor(Rendered rendered, String secretName, String service, String namespace) {
        List<GenericKubernetesResource> certificates = rendered.custom(CERT_MANAGER, "Certificate").stream()
                .filter(c -> secretName.equals(Rendered.tree(c).at("/spec/secretName").asText())).toList();
        if (certificates.size() != 1) {
            return List.of("Deployment " + service + ": " + certificates.size() + " cert-manager Certificates write Secret " + secretName);
        }
        JsonNode spec = Rendered.tree(certificates.get(0)).at("/spec");
        List<String> violations = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        spec.path("dnsNames").forEach(n -> names.add(n.asText()));
        for (String wanted : List.of(service, service + "." + namespace + ".svc")) {
            if (!names.contains(wanted)) {
                violations.add("Certificate of " + service + ": dnsNames " + names + " lack " + wanted);
            }
        }
        if (spec.at("/issuerRef/name").asText().isEmpty()) {
            violations.add("Certificate of " + service + ": no issuerRef");
        }
        return violations;
    }

    /** No {@code http://} in any ConfigMap value or literal environment value: every call is HTTPS. */
    static List<String> noPlainHttp(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (ConfigMap config : rendered.all(ConfigMap.class)) {
            Optional.ofNullable(config.getData()).orElse(Map.of()).forEach((key, value) -> {
                if (value.contains("http://")) {
                    violations.add("ConfigMap " + config.getMetadata().getName() + " " + key + ": " + value);
                }
            });
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (EnvVar env : containerEnv(deployment)) {
                if (env.getValue() != null && env.getValue().contains("http://")) {
                    violations.add("Deployment " + deployment.getMetadata().getName() + " " + env.getName() + ": " + env.getValue());
                }
            }
        }
        return violations;
    }

    /** KEYFLEET_DB_URL insists on TLS with the server's name checked against a CA file of a mounted Secret. */
    static List<String> postgresVerifyFull(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String url = envVar(deployment, "KEYFLEET_DB_URL").map(EnvVar::getValue).orElse(null);
            if (verifyFullRootCert(url).flatMap(path -> secretMounted(deployment, path)).isEmpty()) {
                violations.add("Deployment " + deployment.getMetadata().getName() + ": KEYFLEET_DB_URL does not verify the server"
                        + " (sslmode=verify-full, sslrootcert a file of a mounted Secret, a value of the manifests): " + url);
            }
        }
        return violations;
    }

    /** The sslrootcert of a JDBC URL that says sslmode=verify-full; empty for any other URL. */
    static Optional<String> verifyFullRootCert(String url) {
        List<String> parameters = url != null && url.contains("?") ? List.of(url.substring(url.indexOf('?') + 1).split("&")) : List.of();
        if (!parameters.contains("sslmode=verify-full")) {
            return Optional.empty();
        }
        return parameters.stream().filter(p -> p.startsWith("sslrootcert=")).map(p -> p.substring("sslrootcert=".length())).findFirst();
    }

    /** The Secret whose volume is mounted at the directory holding {@code path}, if any. */
    static Optional<String> secretMounted(Deployment deployment, String path) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        for (VolumeMount mount : Optional.ofNullable(pod.getContainers().get(0).getVolumeMounts()).orElse(List.of())) {
            if (path.startsWith(mount.getMountPath() + "/")) {
                return ManifestRules.volume(pod, mount.getName()).map(Volume::getSecret).map(s -> s.getSecretName());
            }
        }
        return Optional.empty();
    }

    private static List<EnvVar> containerEnv(Deployment deployment) {
        return Optional.ofNullable(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).orElse(List.of());
    }

    private static Optional<EnvVar> envVar(Deployment deployment, String name) {
        return containerEnv(deployment).stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    static void expect(Map<String, String> env, String variable, String value, String where, List<String> violations) {
        if (!value.equals(env.get(variable))) {
            violations.add(where + ": " + variable + " is " + env.get(variable) + ", expected " + value);
        }
    }
}
