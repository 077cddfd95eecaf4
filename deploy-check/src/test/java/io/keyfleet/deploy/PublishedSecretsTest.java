package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets where they belong: the deployments (docker-compose.yml, deploy/k8s) write no secret value, they make them
 * (secrets-init, the dev overlay's make-secrets.sh); and every secret value the repository does write (the services'
 * %dev and %test values) is in service-kit's list of values the prod profile refuses.
 */
class PublishedSecretsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void dockerComposeWritesNoSecretValue() {
        assertThat(composeSecrets(Repo.read("docker-compose.yml"))).isEmpty();
    }

    @Test
    void theKubernetesManifestsWriteNoSecretValue() throws IOException {
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.path("deploy/k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                written.addAll(manifestSecrets(Repo.ROOT.relativize(file).toString(), Repo.read(file)));
            }
        }
        assertThat(written).isEmpty();
        for (Rendered rendered : List.of(Rendered.overlay("dev"), Rendered.overlay("prod"))) {
            assertThat(renderedSecrets(rendered)).as(rendered.toString()).isEmpty();
        }
    }

    @Test
    void everySecretValueTheServicesConfigurationWritesIsRefusedInProd() {
        Set<String> known = PublishedSecrets.known();
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path file : PublishedSecrets.propertiesFiles()) {
            for (Map.Entry<String, List<String>> setting : PublishedSecrets.ofProperties(Repo.read(file)).entrySet()) {
                for (String secret : setting.getValue()) {
                    checked++;
                    if (!PublishedSecrets.isKnown(known, secret)) {
                        unknown.add(Repo.ROOT.relativize(file) + " " + setting.getKey() + " (add its value to " + PublishedSecrets.KNOWN + ")");
                    }
                }
            }
        }
        assertThat(checked).as("the test profile's keys are found").isGreaterThanOrEqualTo(8);
        assertThat(unknown).isEmpty();
    }

    @Test
    void theCheckersFindSecretsWrittenInEachKindOfFile() {
        assertThat(composeSecrets("""
                services:
                  key-service:
                    environment:
                      KEYFLEET_DB_PASSWORD: ${KEY_SERVICE_DB_PASSWORD:-key-service-compose}
                      KAFKA_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="k" password="${P:-pw}";'
                      KEYFLEET_SERVICE_KEYS: signing-service:${SIGNING_SERVICE_API_KEY:-kf_test_x},token-service:kf_test_y
                      KEYFLEET_AUDIT_HMAC_KEY: ${KEYFLEET_AUDIT_HMAC_KEY:-}
                      QUARKUS_TLS_KEY_STORE_PEM__0__KEY: /etc/keyfleet/tls/tls.key
                      KEYFLEET_DB_USER: key_service
                """)).containsExactly("key-service KEYFLEET_DB_PASSWORD", "key-service KAFKA_SASL_JAAS_CONFIG",
                "key-service KEYFLEET_SERVICE_KEYS", "key-service KEYFLEET_SERVICE_KEYS");
        assertThat(manifestSecrets("kustomization.yaml", """
                secretGenerator:
                  - name: db
                    literals: [username=key_service, password=dev-db, host=pg:5432]
                  - name: keys
                    envs: [secrets/keys.env]
                """)).containsExactly("kustomization.yaml db password");
        assertThat(PublishedSecrets.ofProperties("""
                %test.keyfleet.credentials.service-keys=a:kf_test_one,\\
                  b:kf_test_two
                keyfleet.credentials.admin-api-key=${KEYFLEET_ADMIN_API_KEY:}
                keyfleet.tokens.encryption-key=${KEYFLEET_TOKENS_KEY:ZGVmYXVsdA==}
                keyfleet.keys.default-grace-period=PT24H
                """)).containsOnlyKeys("%test.keyfleet.credentials.service-keys", "keyfleet.tokens.encryption-key")
                .containsEntry("%test.keyfleet.credentials.service-keys", List.of("kf_test_one", "kf_test_two"));
    }

    @Test
    void secretsInitMakesFreshWellFormedSecretsKeepsThemAndTakesThoseOfDotEnv() {
        Set<String> known = PublishedSecrets.known();
        Path first = GeneratedSecrets.temporaryDirectory("first");
        Path second = GeneratedSecrets.temporaryDirectory("second");
        GeneratedSecrets.runCompose(first, Map.of());
        GeneratedSecrets.runCompose(second, Map.of());
        Map<String, String> state = GeneratedSecrets.files(first.resolve("state"));
        assertThat(state).containsKeys("POSTGRES_PASSWORD", "KEYFLEET_ADMIN_API_KEY", "SIGNING_SERVICE_API_KEY",
                "KEYFLEET_AUDIT_HMAC_KEY", "TOKEN_SERVICE_TOKENS_KEY", "KEY_SERVICE_KAFKA_PASSWORD", "SYNC_SERVICE_DB_PASSWORD");
        Map<String, String> other = GeneratedSecrets.files(second.resolve("state"));
        state.forEach((name, value) -> {
            assertThat(value).as(name).isNotBlank().isNotEqualTo(other.get(name));
            assertThat(PublishedSecrets.isKnown(known, value)).as(name + " is no published value").isFalse();
            if (name.endsWith("API_KEY")) {
                assertThat(ApiKeys.isWellFormed(value)).as(name + " well-formed").isTrue();
            }
        });
        assertThat(Base64.getDecoder().decode(state.get("TOKEN_SERVICE_TOKENS_KEY"))).hasSize(32);

        // a second start keeps every value; one given in .env replaces the kept one, on both sides
        String ownKey = other.get("SIGNING_SERVICE_API_KEY");
        GeneratedSecrets.runCompose(first, Map.of("SIGNING_SERVICE_API_KEY", ownKey));
        Map<String, String> again = GeneratedSecrets.files(first.resolve("state"));
        assertThat(again).containsEntry("SIGNING_SERVICE_API_KEY", ownKey);
        again.remove("SIGNING_SERVICE_API_KEY");
        assertThat(again).allSatisfy((name, value) -> assertThat(value).as(name).isEqualTo(state.get(name)));
        assertThat(GeneratedSecrets.files(first.resolve("signing-service"))).containsEntry("KEYFLEET_SERVICE_API_KEY", ownKey);
        assertThat(GeneratedSecrets.files(first.resolve("key-service")).get("KEYFLEET_SERVICE_KEYS")).contains("signing-service:" + ownKey);
    }

    @Test
    void theDevOverlaysSecretsAreMadeHereNotPublished() {
        Set<String> known = PublishedSecrets.known();
        Rendered dev = Rendered.overlay("dev");
        List<Secret> secrets = dev.all(Secret.class);
        assertThat(secrets).isNotEmpty();
        for (Secret secret : secrets) {
            secret.getData().forEach((key, encoded) -> {
                String value = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
                for (String part : PublishedSecrets.writtenSecrets(key, value)) {
                    if (PublishedSecrets.isSecretVariable(key)) {
                        assertThat(PublishedSecrets.isKnown(known, part)).as(secret.getMetadata().getName() + " " + key).isFalse();
                    }
                }
            });
        }
        Secret keyService = dev.find(Secret.class, "key-service-secrets").orElseThrow();
        assertThat(keyService.getData()).containsKeys("admin-api-key", "audit-hmac-key", "service-keys");
        assertThat(ApiKeys.isWellFormed(new String(Base64.getMimeDecoder().decode(keyService.getData().get("admin-api-key")),
                StandardCharsets.UTF_8))).isTrue();
    }

    /** "service VARIABLE" for each secret value docker-compose.yml writes (a variable's default counts as written). */
    static List<String> composeSecrets(String yaml) {
        Compose compose = Compose.parse(yaml);
        List<String> written = new ArrayList<>();
        for (String service : compose.services.keySet()) {
            compose.environment(service).forEach((variable, value) -> {
                if (PublishedSecrets.isSecretVariable(variable) || (value != null && value.contains("password="))) {
                    PublishedSecrets.writtenSecrets(variable, value).forEach(secret -> written.add(service + " " + variable));
                }
            });
        }
        return written;
    }

    /** "file generator key" for each secret literal of a kustomization's secretGenerator or configMapGenerator. */
    static List<String> manifestSecrets(String file, String yaml) {
        List<String> written = new ArrayList<>();
        try {
            for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                for (String generators : List.of("secretGenerator", "configMapGenerator")) {
                    for (JsonNode generator : document.path(generators)) {
                        for (JsonNode literal : generator.path("literals")) {
                            String text = literal.asText();
                            String key = text.substring(0, Math.max(0, text.indexOf('=')));
                            if (PublishedSecrets.isSecretVariable(key)
                                    && !PublishedSecrets.writtenSecrets(key, text.substring(text.indexOf('=') + 1)).isEmpty()) {
                                written.add(file + " " + generator.path("name").asText() + " " + key);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
        return written;
    }

    /** Secret values a render holds outside Secrets: in ConfigMaps and in the containers' literal env values. */
    static List<String> renderedSecrets(Rendered rendered) {
        List<String> written = new ArrayList<>();
        for (ConfigMap config : rendered.all(ConfigMap.class)) {
            Optional.ofNullable(config.getData()).orElse(Map.of()).forEach((key, value) -> {
                if (PublishedSecrets.isSecretVariable(key) && !PublishedSecrets.writtenSecrets(key, value).isEmpty()) {
                    written.add("ConfigMap " + config.getMetadata().getName() + " " + key);
                }
            });
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (env.getValue() != null && PublishedSecrets.isSecretVariable(env.getName())
                            && !PublishedSecrets.writtenSecrets(env.getName(), env.getValue()).isEmpty()) {
                        written.add("Deployment " + deployment.getMetadata().getName() + " " + env.getName());
                    }
                }
            }
        }
        return written;
    }
}
