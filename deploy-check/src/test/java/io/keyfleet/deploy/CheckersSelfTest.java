package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkers themselves, fed deliberately broken objects: each rule must notice when it is broken. */
class CheckersSelfTest {

    private static final String GOOD_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: key-service
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: key-service
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: key-service
                    app.kubernetes.io/part-of: keyfleet
                spec:
                  serviceAccountName: key-service
                  automountServiceAccountToken: false
                  securityContext:
                    runAsNonRoot: true
                  containers:
                    - name: key-service
                      image: keyfleet/key-service:0.1.0
                      ports:
                        - name: http
                          containerPort: 8081
                      livenessProbe:
                        httpGet: {path: /q/health/live, port: http}
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: http}
                      resources:
                        requests: {cpu: 250m, memory: 384Mi}
                        limits: {cpu: "1", memory: 768Mi}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
                      volumeMounts:
                        - {name: tmp, mountPath: /tmp}
                  volumes:
                    - name: tmp
                      emptyDir: {}
            """;

    private static Deployment deployment(String yaml) {
        return Rendered.of("self-test", yaml).all(Deployment.class).get(0);
    }

    @Test
    void aCompliantDeploymentPassesTheContainerRules() {
        assertThat(ManifestRules.containerRules(deployment(GOOD_DEPLOYMENT))).isEmpty();
    }

    @Test
    void containerRulesCatchMissingProbesLimitsAndLooseSecurity() {
        String broken = GOOD_DEPLOYMENT
                .replaceAll("(?m)^ *livenessProbe:\n *httpGet: \\{path: /q/health/live, port: http}\n", "")
                .replace("path: /q/health/ready", "path: /q/health")
                .replace("limits: {cpu: \"1\", memory: 768Mi}", "limits: {cpu: \"1\"}")
                .replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")
                .replace("drop: [ALL]", "drop: [NET_RAW]")
                .replace("runAsNonRoot: true", "runAsNonRoot: false")
                .replace("keyfleet/key-service:0.1.0", "keyfleet/key-service:latest")
                .replace("mountPath: /tmp", "mountPath: /work");
        assertThat(String.join("\n", ManifestRules.containerRules(deployment(broken))))
                .contains("livenessProbe: missing", "readinessProbe: path /q/health,", "no limits.memory",
                        "readOnlyRootFilesystem is not true", "capabilities do not drop ALL", "runAsNonRoot is not true",
                        "is not pinned", "no emptyDir mounted at /tmp");
    }

    @Test
    void strictParsingRefusesUnknownFieldsWrongTypesAndUnknownKinds() {
        assertThatThrownBy(() -> Rendered.of("x", GOOD_DEPLOYMENT.replace("readinessProbe:", "readinesProbe:")))
                .hasMessageContaining("does not know").hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> Rendered.of("x", GOOD_DEPLOYMENT.replace("replicas: 2", "replicas: two")))
                .hasMessageContaining("does not match the Kubernetes model");
        assertThatThrownBy(() -> Rendered.of("x", GOOD_DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet")))
                .hasMessageContaining("Unexpected kind apps/v1/Deploymnet");
        assertThatThrownBy(() -> Rendered.of("x", GOOD_DEPLOYMENT.replace("metadata:\n  name: key-service",
                "metadata:\n  name: key-service\n  lables: {a: b}"))).hasMessageContaining("lables");
    }

    @Test
    void aDeploymentWithoutCompanionsOrWithAnOpenNetworkPolicyIsReported() {
        Rendered alone = Rendered.of("alone", GOOD_DEPLOYMENT);
        assertThat(String.join("\n", ManifestRules.companions(alone, alone.all(Deployment.class).get(0))))
                .contains("no ServiceAccount", "no Service selects", "no PodDisruptionBudget", "no HorizontalPodAutoscaler",
                        "no NetworkPolicy of its own");
        Rendered open = Rendered.of("open", GOOD_DEPLOYMENT + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: key-service
                spec:
                  podSelector:
                    matchLabels:
                      app.kubernetes.io/name: key-service
                  ingress:
                    - from:
                        - namespaceSelector: {}
                """);
        assertThat(String.join("\n", ManifestRules.companions(open, open.all(Deployment.class).get(0))))
                .contains("has a peer that matches everything");
    }

    @Test
    void literalSecretsAndTooFewReplicasAreReported() {
        Rendered leaky = Rendered.of("leaky", GOOD_DEPLOYMENT.replace("replicas: 2", "replicas: 1")
                .replace("          volumeMounts:", "          env:\n            - name: KEYFLEET_DB_PASSWORD\n"
                        + "              value: hunter2\n          volumeMounts:") + """
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: key-service-db
                stringData:
                  password: hunter2
                """);
        assertThat(String.join("\n", ManifestRules.noLiteralSecrets(leaky)))
                .contains("Secret key-service-db carries literal values [password]", "sets KEYFLEET_DB_PASSWORD as a literal value");
        assertThat(ManifestRules.replicas(leaky, 2)).singleElement().asString().contains("has 1 replicas");
    }

    @Test
    void aStopLongerThanTheTerminationGracePeriodIsReported() {
        Map<String, String> kit = Map.of("quarkus.shutdown.timeout", "5s", "quarkus.thread-pool.shutdown-timeout", "2s",
                "mp.messaging.connector.smallrye-kafka.close-timeout", "2000");
        assertThat(ManifestRules.stopFitsGracePeriod(deployment(GOOD_DEPLOYMENT), Map.of(), kit)).isEmpty();
        String shortGrace = GOOD_DEPLOYMENT.replace("      automountServiceAccountToken: false\n",
                "      automountServiceAccountToken: false\n      terminationGracePeriodSeconds: 10\n");
        assertThat(ManifestRules.stopFitsGracePeriod(deployment(shortGrace), Map.of(), kit)).singleElement().asString()
                .contains("up to 18 s", "terminationGracePeriodSeconds 10");
        String longPreStop = GOOD_DEPLOYMENT.replace("          resources:\n",
                "          lifecycle:\n            preStop:\n              exec:\n                command: [\"sh\", \"-c\", \"sleep 20\"]\n"
                        + "          resources:\n");
        assertThat(ManifestRules.stopFitsGracePeriod(deployment(longPreStop), Map.of(), kit)).singleElement().asString()
                .contains("up to 38 s", "preStop=PT20S");
        assertThat(ManifestRules.stopFitsGracePeriod(deployment(GOOD_DEPLOYMENT), Map.of("QUARKUS_SHUTDOWN_TIMEOUT", "20s"), kit))
                .singleElement().asString().contains("quarkus.shutdown.timeout=PT20S");
        assertThat(ManifestRules.stopFitsGracePeriod(deployment(GOOD_DEPLOYMENT), Map.of(), Map.of()))
                .anySatisfy(v -> assertThat(v).contains("quarkus.shutdown.timeout is not set"));
    }

    @Test
    void apiKeyShape() {
        String good = "kf_test_ComposeDemoKeySigningServiceNotForProd003mdodI";
        assertThat(ApiKeys.isWellFormed(good)).isTrue();
        assertThat(List.of(good.replace("Demo", "Dem0"), good.substring(0, good.length() - 1) + "J", "signing-service-key",
                good.replace("kf_test_", "kf_prod_"))).noneMatch(ApiKeys::isWellFormed);
    }

    @Test
    void imagePinning() {
        assertThat(List.of("keyfleet/key-service:0.1.0", "registry:5000/team/app:1.2.3", "postgres:17.6",
                "ghcr.io/x/y@sha256:" + "a".repeat(64))).allMatch(ManifestRules::isPinned);
        assertThat(List.of("keyfleet/key-service", "keyfleet/key-service:latest", "registry:5000/team/app", ""))
                .noneMatch(ManifestRules::isPinned);
    }

    @Test
    void composeRulesCatchMissingHealthChecksLooseStartOrderUnknownVariablesAndWrongPorts() {
        Compose broken = Compose.parse("""
                services:
                  postgres:
                    image: postgres:17.6
                  kafka:
                    image: apache/kafka:latest
                    healthcheck:
                      test: ["CMD", "true"]
                  key-service:
                    image: keyfleet/key-service:0.1.0
                    environment:
                      KEYFLEET_DB_URL: jdbc:postgresql://postgres:5432/key_service
                      KEYFLEET_DB_URLL: typo
                      KAFKA_BOOTSTRAP_SERVERS: kafka:9092
                    ports: ["127.0.0.1:8081:8080"]
                    healthcheck:
                      test: ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && echo /q/health/ready"]
                    depends_on: [kafka]
                  signing-service:
                    image: keyfleet/signing-service:0.1.0
                    environment:
                      KEYFLEET_KEY_SERVICE_URL: http://key-service:8080
                """);
        assertThat(String.join("\n", ComposeRules.healthchecks(broken))).contains("postgres: no healthcheck", "signing-service: no healthcheck");
        assertThat(String.join("\n", ComposeRules.dependencies(broken)))
                .contains("key-service: depends on kafka with service_started, expected service_healthy",
                        "key-service: KEYFLEET_DB_URL points at postgres but does not depend on it",
                        "signing-service: KEYFLEET_KEY_SERVICE_URL points at key-service but does not depend on it");
        assertThat(ComposeRules.environment(broken)).containsExactly("key-service: KEYFLEET_DB_URLL is read by nothing");
        assertThat(String.join("\n", ComposeRules.ports(broken)))
                .contains("key-service: publishes container port 8080, quarkus.http.port is 8081",
                        "key-service: healthcheck does not probe port 8081",
                        "signing-service: KEYFLEET_KEY_SERVICE_URL reaches key-service on 8080, not 8081");
        assertThat(ComposeRules.images(broken)).containsExactly("kafka: image apache/kafka:latest is not pinned");
    }
}
