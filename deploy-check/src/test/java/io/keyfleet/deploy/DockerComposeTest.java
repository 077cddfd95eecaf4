package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import io.keyfleet.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, parsed as YAML and held to the rules and to what the services read. */
class DockerComposeTest {

    /** The broker's listener for the services (KAFKA_LISTENERS). */
    private static final int KAFKA_SASL_SSL_PORT = 9093;

    private static Compose compose;

    @BeforeAll
    static void load() {
        compose = Compose.load();
    }

    @Test
    void runsTheStackAndEveryService() {
        assertThat(compose.services).containsKeys("tls-init", "postgres", "kafka", "kafka-topics", "vault", "vault-init");
        ServiceCatalog.ALL.forEach(s -> assertThat(compose.services).containsKey(s.name()));
    }

    @Test
    void everyLongRunningServiceHasAHealthCheck() {
        assertThat(ComposeRules.healthchecks(compose)).isEmpty();
        assertThat(compose.isOneShot("kafka-topics")).isTrue();
        assertThat(compose.isOneShot("vault-init")).isTrue();
    }

    @Test
    void startUpOrderWaitsForHealthAndForTheOneShotJobs() {
        assertThat(ComposeRules.dependencies(compose)).isEmpty();
        for (ServiceCatalog.Service service : ServiceCatalog.ALL) {
            assertThat(compose.dependsOn(service.name())).as(service.name())
                    .containsEntry("tls-init", "service_completed_successfully")
                    .containsEntry("postgres", "service_healthy");
            if (Topics.SERVICES.contains(service.name())) {
                assertThat(compose.dependsOn(service.name())).as(service.name())
                        .containsEntry("kafka", "service_healthy")
                        .containsEntry("kafka-topics", "service_completed_successfully");
            }
        }
        assertThat(compose.dependsOn("key-service"))
                .containsEntry("vault", "service_healthy")
                .containsEntry("vault-init", "service_completed_successfully");
    }

    @Test
    void everyVariableGivenToAServiceIsOneItReads() {
        assertThat(ComposeRules.environment(compose)).isEmpty();
    }

    @Test
    void portsAndUrlsAreTheServicesQuarkusHttpPorts() {
        assertThat(ComposeRules.ports(compose)).isEmpty();
    }

    @Test
    void everyImageIsPinnedAndEveryServiceImageIsBuiltFromTheSourcesByItsStageOfTheDockerfile() {
        assertThat(ComposeRules.images(compose)).isEmpty();
        assertThat(ImageRules.composeBuilds(compose, Repo.ROOT)).isEmpty();
        for (ServiceCatalog.Service service : ServiceCatalog.ALL) {
            assertThat(compose.build(service.name())).as(service.name() + " build").hasValueSatisfying(build -> assertThat(build)
                    .containsEntry("context", ".").containsEntry("dockerfile", "Dockerfile").containsEntry("target", service.name()));
            assertThat(String.valueOf(compose.service(service.name()).get("image"))).startsWith("keyfleet/" + service.name() + ":");
        }
    }

    @Test
    void eachServiceHasItsOwnDatabaseRoleAndPassword() {
        String script = Repo.read("deploy/compose/postgres/init-databases.sh");
        Matcher created = Pattern.compile("(?m)^create_database\\s+(\\w+)\\s+\"\\$(\\w+)\"").matcher(script);
        Map<String, String> passwordVariables = new TreeMap<>();
        while (created.find()) {
            passwordVariables.put(created.group(1), created.group(2));
        }
        assertThat(passwordVariables.keySet())
                .containsExactlyInAnyOrderElementsOf(ServiceCatalog.ALL.stream().map(ServiceCatalog.Service::database).toList());
        assertThat(compose.list("postgres", "volumes")).anyMatch(v -> v.startsWith("./deploy/compose/postgres/init-databases.sh:/docker-entrypoint-initdb.d/"));
        Map<String, String> postgres = compose.environment("postgres");
        for (ServiceCatalog.Service service : ServiceCatalog.ALL) {
            Map<String, String> env = compose.environment(service.name());
            assertThat(env).as(service.name())
                    .containsEntry("KEYFLEET_DB_URL", "jdbc:postgresql://postgres:5432/" + service.database()
                            + "?sslmode=verify-full&sslrootcert=/etc/keyfleet/tls/ca.crt")
                    .containsEntry("KEYFLEET_DB_USER", service.database());
            assertThat(env.get("KEYFLEET_DB_PASSWORD")).as(service.name() + " password = the one its role was created with")
                    .isNotBlank().isEqualTo(postgres.get(passwordVariables.get(service.database())));
        }
    }

    @Test
    void serviceApiKeysAreWellFormedAndTheSameOnBothSides() {
        Map<String, String> pairs = ApiKeys.servicePairs(compose.environment("key-service").get("KEYFLEET_SERVICE_KEYS"));
        assertThat(pairs.keySet()).containsExactlyInAnyOrder("signing-service", "token-service", "sync-service");
        pairs.forEach((service, expression) -> {
            assertThat(compose.environment(service).get("KEYFLEET_SERVICE_API_KEY")).as(service).isEqualTo(expression);
            assertThat(ApiKeys.isWellFormed(Compose.withDefaults(expression))).as(service + " default key well-formed").isTrue();
        });
    }

    @Test
    void eachContainerGetsItsSecretsFromItsOwnVolumeOfSecretsInit() {
        Map<String, String> directories = compose.secretsInitDirectories();
        assertThat(compose.isOneShot("secrets-init")).isTrue();
        assertThat(directories).containsEntry("secrets-state", "state");
        Map<String, String> owners = new TreeMap<>();
        for (String name : compose.services.keySet()) {
            if (name.equals("secrets-init")) {
                continue;
            }
            for (String volume : compose.list(name, "volumes")) {
                String source = volume.split(":")[0];
                if (directories.containsKey(source)) {
                    assertThat(volume).as(name + " mounts " + source).isEqualTo(source + ":" + Compose.ENV_FILES + ":ro");
                    assertThat(owners.put(source, name)).as(source + " is one container's only").isNull();
                }
            }
            if (compose.mountedFrom(name, Compose.ENV_FILES).isPresent()) {
                assertThat(String.join(" ", compose.list(name, "entrypoint"))).as(name + " exports its files at start")
                        .contains("with-env-files.sh " + Compose.ENV_FILES);
                assertThat(compose.dependsOn(name)).as(name).containsEntry("secrets-init", "service_completed_successfully");
            }
        }
        assertThat(owners).doesNotContainKey("secrets-state");
        assertThat(owners.keySet()).as("every volume secrets-init writes has its container")
                .containsExactlyInAnyOrderElementsOf(directories.keySet().stream().filter(v -> !v.equals("secrets-state")).toList());
        for (ServiceCatalog.Service service : ServiceCatalog.ALL) {
            assertThat(compose.secretFiles(service.name())).as(service.name()).containsKey("KEYFLEET_DB_PASSWORD");
        }
        assertThat(compose.secretFiles("key-service")).containsKeys("KEYFLEET_ADMIN_API_KEY", "KEYFLEET_SERVICE_KEYS", "KEYFLEET_AUDIT_HMAC_KEY");
        assertThat(compose.secretFiles("token-service")).containsKey("KEYFLEET_TOKENS_KEY");
    }

    @Test
    void vaultIsARealServerWithFileStorageNotDevMode() {
        assertThat(compose.list("vault", "command")).isNotEmpty().noneMatch(part -> part.contains("-dev"));
        assertThat(compose.list("vault", "entrypoint")).noneMatch(part -> part.contains("-dev"));
        assertThat(compose.environment("vault").keySet()).noneMatch(k -> k.startsWith("VAULT_DEV"));
        assertThat(compose.service("vault").get("profiles")).as("vault runs in the default profile").isNull();
        assertThat(compose.list("vault", "volumes")).contains("./deploy/vault/vault.hcl:/vault/config/vault.hcl:ro");
        String config = Repo.read("deploy/vault/vault.hcl");
        assertThat(config).containsPattern("storage\\s+\"file\"").doesNotContain("inmem");
        assertThat(compose.healthcheck("vault")).hasValueSatisfying(test -> assertThat(test).contains("vault status"));
    }

    /**
     * Compose's own validation where a docker-compose binary is installed (Debian: apt-get install docker-compose);
     * reported as skipped, not passed, where it is not. The YAML checks above run everywhere.
     */
    @Test
    void dockerComposeConfigAcceptsTheFileWhereItIsInstalled() throws Exception {
        String binary = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> new File(dir, "docker-compose")).filter(File::canExecute).map(File::getPath).findFirst().orElse(null);
        assumeTrue(binary != null, "docker-compose is not installed here; only the YAML checks ran");
        File errors = File.createTempFile("compose", ".err");
        errors.deleteOnExit();
        Process process = new ProcessBuilder(binary, "-f", Repo.path("docker-compose.yml").toString(), "config", "-q")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(errors.toPath())).isZero();
    }

    @Test
    void kafkaTakesClientsOnlyOverSaslSslAndEveryServiceLogsInAsItsOwnUser() {
        assertThat(ComposeRules.kafkaBroker(compose, "kafka")).isEmpty();
        assertThat(compose.environment("kafka").get("KAFKA_LISTENERS")).contains("SASL_SSL://:" + KAFKA_SASL_SSL_PORT);
        assertThat(ComposeRules.kafkaClients(compose, KAFKA_SASL_SSL_PORT)).isEmpty();
    }

    @Test
    void theAclScriptGivesEachServiceExactlyTheAclsOfTopics() {
        assertThat(ComposeRules.kafkaAcls(Repo.read("deploy/compose/kafka/create-acls.sh"))).isEmpty();
        assertThat(compose.list("kafka-topics", "volumes")).anyMatch(v -> v.startsWith("./deploy/compose/kafka/create-acls.sh:"));
        assertThat(String.join(" ", compose.list("kafka-topics", "entrypoint"))).contains("create-acls.sh");
        // the password each service logs in with is the one its user is created with
        Map<String, String> setup = compose.environment("kafka-topics");
        for (String service : Topics.SERVICES) {
            String variable = ConfigNames.envName(service) + "_KAFKA_PASSWORD";
            assertThat(setup.get(variable)).as(variable).isNotBlank();
            assertThat(compose.environment(service).get("KAFKA_SASL_JAAS_CONFIG")).as(service).contains("password=\"" + setup.get(variable) + "\";");
        }
    }

    @Test
    void everyServiceServesHttpsCallsHttpsAndVerifiesPostgresql() {
        assertThat(ComposeRules.tls(compose)).isEmpty();
        assertThat(String.join(" ", compose.list("postgres", "command"))).contains("ssl=on", "hba_file=/etc/keyfleet/pg_hba.conf");
        assertThat(compose.list("postgres", "volumes")).contains("./deploy/compose/postgres/pg_hba.conf:/etc/keyfleet/pg_hba.conf:ro");
        // over the network only with TLS: every TCP rule but the container's loopback is hostssl
        assertThat(Repo.read("deploy/compose/postgres/pg_hba.conf").lines().filter(l -> l.startsWith("host")))
                .allMatch(l -> l.startsWith("hostssl") || l.matches("host\\s+all\\s+all\\s+(127\\.0\\.0\\.1/32|::1/128)\\s+trust"));
        assertThat(Repo.read("deploy/vault/vault.hcl")).contains("tls_cert_file").doesNotContain("tls_disable");
        String certificates = Repo.read("deploy/compose/tls/make-certs.sh");
        for (String server : List.of("postgres", "kafka", "vault")) {
            assertThat(certificates).containsPattern("(?m)^issue " + server + " ");
        }
        ServiceCatalog.ALL.forEach(s -> assertThat(certificates).containsPattern("(?m)^for service in .*\\b" + s.name() + "\\b"));
    }

    @Test
    void topicsAreCreatedOnceKafkaIsHealthyAndNotByAutoCreation() {
        assertThat(compose.environment("kafka")).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        assertThat(compose.list("kafka-topics", "volumes")).anyMatch(v -> v.startsWith("./deploy/compose/kafka/create-topics.sh:"));
        assertThat(Contracts.composeTopics().keySet()).containsExactlyInAnyOrderElementsOf(Contracts.topics());
    }
}
