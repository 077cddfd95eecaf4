package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** deploy/k8s as {@code kubectl kustomize} renders its two overlays, parsed strictly and held to the rules. */
class KubernetesManifestsTest {

    private static Rendered dev;
    private static Rendered prod;

    @BeforeAll
    static void render() {
        dev = Rendered.overlay("dev");
        prod = Rendered.overlay("prod");
    }

    static Stream<Rendered> overlays() {
        return Stream.of(dev, prod);
    }

    @Test
    void devRunsEveryServiceAndTheSandboxProdOnlyTheFourServices() {
        assertThat(names(dev.all(Deployment.class)))
                .containsExactlyInAnyOrderElementsOf(ServiceCatalog.ALL.stream().map(ServiceCatalog.Service::name).toList());
        assertThat(names(prod.all(Deployment.class))).containsExactlyInAnyOrderElementsOf(ServiceCatalog.ALL.stream()
                .filter(ServiceCatalog.Service::isKeyfleetService).map(ServiceCatalog.Service::name).toList());
        assertThat(dev.objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("keyfleet-dev"));
        assertThat(prod.objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("keyfleet"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasProbesLimitsAndALockedDownSecurityContext(Rendered rendered) {
        assertThat(rendered.all(Deployment.class).stream().flatMap(d -> ManifestRules.containerRules(d).stream()).toList())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDeploymentHasServiceAccountServicePdbHpaAndNetworkPolicy(Rendered rendered) {
        assertThat(rendered.all(Deployment.class).stream().flatMap(d -> ManifestRules.companions(rendered, d).stream()).toList())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageIsPinned(Rendered rendered) {
        List<String> images = new ArrayList<>();
        rendered.all(Deployment.class).forEach(d -> d.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> images.add(c.getImage())));
        rendered.custom("postgresql.cnpg.io/v1", "Cluster").forEach(c -> images.add(Rendered.tree(c).at("/spec/imageName").asText(null)));
        assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(ManifestRules.isPinned(image))
                .as("image %s pinned", image).isTrue());
    }

    @Test
    void prodCarriesNoSecretValueAndRunsTwoOrMoreReplicas() {
        assertThat(prod.all(Secret.class)).isEmpty();
        assertThat(ManifestRules.noLiteralSecrets(prod)).isEmpty();
        assertThat(ManifestRules.replicas(prod, 2)).isEmpty();
    }

    @Test
    void prodSecretsTheDeploymentsNeedAreDocumented() {
        String docs = Repo.read("docs/operations.md");
        Map<String, Set<String>> references = secretReferences(prod);
        assertThat(references).isNotEmpty();
        references.forEach((secret, keys) -> {
            List<String> lines = docs.lines().filter(line -> line.contains("`" + secret + "`")).toList();
            assertThat(lines).as("docs/operations.md names Secret %s", secret).isNotEmpty();
            keys.forEach(key -> assertThat(lines).as("docs/operations.md names key %s of Secret %s on its line", key, secret)
                    .anyMatch(line -> line.contains("`" + key + "`")));
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void keyServiceTakesTheAdminKeyFromASecretAndNeverHasToHandOneOut(Rendered rendered) {
        Container keyService = rendered.find(Deployment.class, "key-service").orElseThrow().getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(keyService.getEnv()).filteredOn(env -> env.getName().equals("KEYFLEET_ADMIN_API_KEY")).singleElement()
                .satisfies(env -> {
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("key-service-secrets");
                    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("admin-api-key");
                });
        assertThat(keyService.getEnv()).noneMatch(env -> env.getName().equals("KEYFLEET_ADMIN_KEY_FILE"));
    }

    @Test
    void devGeneratesEverySecretTheDeploymentsReference() {
        // the Strimzi User Operator writes each KafkaUser's Secret
        Set<String> kafkaUsers = new TreeSet<>(names(dev.custom(TlsRules.STRIMZI, "KafkaUser")));
        secretReferences(dev).forEach((name, keys) -> {
            if (kafkaUsers.contains(name)) {
                return;
            }
            Optional<Secret> secret = dev.find(Secret.class, name);
            assertThat(secret).as("Secret %s in dev", name).isPresent();
            assertThat(secret.get().getData()).as("keys of Secret %s", name).containsKeys(keys.toArray(String[]::new));
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyKeyfleetPodsAreDeniedByDefault(Rendered rendered) {
        NetworkPolicy deny = rendered.find(NetworkPolicy.class, "keyfleet-default-deny-ingress").orElseThrow();
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/part-of", "keyfleet"));
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(rendered.all(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/part-of", "keyfleet"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void egressIsDeniedByDefaultAndDnsGoesToKubeDnsOnly(Rendered rendered) {
        NetworkPolicy deny = rendered.find(NetworkPolicy.class, "keyfleet-default-deny-egress").orElseThrow();
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/part-of", "keyfleet"));
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        assertThat(EgressRules.defaultDeny(rendered)).isEmpty();
        assertThat(EgressRules.dns(rendered)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlySyncAndTokenServiceLeaveTheClusterAndOnlyOnHttpsToPublicAddresses(Rendered rendered) {
        assertThat(EgressRules.leavingTheCluster(rendered)).isEmpty();
        assertThat(EgressRules.leaving(rendered)).containsExactlyInAnyOrderElementsOf(EgressRules.LEAVE_THE_CLUSTER);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceMayReachWhatItsConfigurationNames(Rendered rendered) {
        assertThat(EgressRules.reachability(rendered)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void keyServiceIsReachableInTheNamespaceOnlyFromSigningTokenAndSyncService(Rendered rendered) {
        Deployment keyService = rendered.find(Deployment.class, "key-service").orElseThrow();
        List<NetworkPolicy> policies = ManifestRules.ownPolicies(rendered, keyService);
        assertThat(policies).hasSize(1);
        Set<String> podPeers = new TreeSet<>();
        for (NetworkPolicyIngressRule rule : policies.get(0).getSpec().getIngress()) {
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal())
                    .containsExactly(ServiceCatalog.KEY_SERVICE.httpPort());
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                if (peer.getPodSelector() != null) {
                    assertThat(peer.getNamespaceSelector()).as("pod peers are in key-service's own namespace").isNull();
                    podPeers.add(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
                } else {
                    // other namespaces only by an explicit label: the API gateway (public /v1 API) and the metrics scraper
                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsAnyOf(Map.entry("keyfleet.io/api-gateway", "true"), Map.entry("keyfleet.io/metrics-scraper", "true"))
                            .hasSize(1);
                }
            }
        }
        assertThat(podPeers).containsExactlyInAnyOrder("signing-service", "token-service", "sync-service");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void portsAreTheServicesQuarkusHttpPorts(Rendered rendered) {
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            int port = ServiceCatalog.named(name).httpPort();
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort).as(name).containsExactly(port);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("prometheus.io/port", String.valueOf(port));
            Service service = rendered.find(Service.class, name).orElseThrow();
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(port);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo(container.getPorts().get(0).getName());
            });
            for (NetworkPolicy policy : ManifestRules.ownPolicies(rendered, deployment)) {
                policy.getSpec().getIngress().forEach(rule -> assertThat(rule.getPorts())
                        .allSatisfy(p -> assertThat(p.getPort().getIntVal()).as(name + " policy port").isEqualTo(port)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceStopsWithinItsTerminationGracePeriod(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            ServiceCatalog.Service service = ServiceCatalog.named(deployment.getMetadata().getName());
            violations.addAll(ManifestRules.stopFitsGracePeriod(deployment, ManifestRules.environment(rendered, deployment),
                    ServiceCatalog.configuration(service)));
        }
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyEnvironmentVariableIsOneTheServiceReads(Rendered rendered) {
        List<String> unknown = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Set<String> reads = ServiceCatalog.environment(ServiceCatalog.named(name));
            Map<String, String> environment = ManifestRules.environment(rendered, deployment);
            for (String variable : environment.keySet()) {
                // Kubernetes itself reads a variable that another one's value refers to as $(NAME)
                boolean referenced = environment.values().stream().anyMatch(value -> value.contains("$(" + variable + ")"));
                if (!reads.contains(variable) && !referenced) {
                    unknown.add(name + ": " + variable);
                }
            }
        }
        assertThat(unknown).as("variables no service reads").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void serviceUrlsNameAServiceOfTheRenderAndItsPort(Rendered rendered) {
        Pattern url = Pattern.compile("^https?://([a-z0-9-]+):(\\d+)");
        Map<String, Integer> services = new TreeMap<>();
        rendered.all(Service.class).forEach(s -> services.put(s.getMetadata().getName(), s.getSpec().getPorts().get(0).getPort()));
        int checked = 0;
        for (ConfigMap config : rendered.all(ConfigMap.class)) {
            for (Map.Entry<String, String> entry : config.getData().entrySet()) {
                Matcher matcher = url.matcher(entry.getValue());
                if (entry.getKey().endsWith("_URL") && entry.getKey().startsWith("KEYFLEET_") && matcher.find()
                        && !entry.getKey().startsWith("KEYFLEET_SECRETS_VAULT")) {
                    assertThat(services).as(config.getMetadata().getName() + " " + entry.getKey())
                            .containsEntry(matcher.group(1), Integer.parseInt(matcher.group(2)));
                    checked++;
                }
            }
        }
        assertThat(checked).isPositive();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaTopicsAreTheContractTopicsWithTheComposePartitionsAndRetention(Rendered rendered) {
        Map<String, Contracts.TopicSpec> compose = Contracts.composeTopics();
        Set<String> declared = new TreeSet<>();
        for (GenericKubernetesResource topic : rendered.custom("kafka.strimzi.io/v1beta2", "KafkaTopic")) {
            JsonNode tree = Rendered.tree(topic);
            String name = tree.at("/spec/topicName").asText();
            declared.add(name);
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "keyfleet-kafka");
            assertThat(tree.at("/spec/partitions").isInt()).as(name + " partitions").isTrue();
            assertThat(tree.at("/spec/replicas").asInt()).as(name + " replicas").isPositive();
            assertThat(tree.at("/spec/config/retention.ms").isNumber()).as(name + " retention.ms stated").isTrue();
            assertThat(tree.at("/spec/config/min.insync.replicas").asInt()).isLessThanOrEqualTo(tree.at("/spec/replicas").asInt());
            assertThat(compose.get(name)).as("compose creates " + name)
                    .isEqualTo(new Contracts.TopicSpec(tree.at("/spec/partitions").asInt(), tree.at("/spec/config/retention.ms").asLong()));
        }
        assertThat(declared).isEqualTo(Contracts.topics());
        assertThat(compose.keySet()).containsExactlyInAnyOrderElementsOf(Contracts.topics());
        // the services reach the cluster the topics are declared for
        assertThat(rendered.find(ConfigMap.class, "keyfleet-kafka-config").orElseThrow().getData().get("KAFKA_BOOTSTRAP_SERVERS"))
                .startsWith("keyfleet-kafka-kafka-bootstrap");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasAKafkaUserWithExactlyTheAclsOfTopics(Rendered rendered) {
        assertThat(TlsRules.kafkaUsers(rendered)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaClientsUseSaslSslWithTheirOwnUserAndNoOtherDeploymentUsesKafka(Rendered rendered) {
        assertThat(TlsRules.kafkaClients(rendered)).isEmpty();
    }

    @Test
    void devKafkaHasOnlyAnAuthenticatedTlsListenerAndAcls() {
        assertThat(dev.custom(TlsRules.STRIMZI, "Kafka")).singleElement()
                .satisfies(kafka -> assertThat(TlsRules.kafkaCluster(kafka)).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceServesHttpsOnlyWithACertificateForItsNames(Rendered rendered) {
        assertThat(TlsRules.https(rendered)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void noPlainHttpUrlAnywhere(Rendered rendered) {
        assertThat(TlsRules.noPlainHttp(rendered)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void postgresqlConnectionsVerifyTheServerCertificate(Rendered rendered) {
        assertThat(TlsRules.postgresVerifyFull(rendered)).isEmpty();
    }

    @Test
    void devKafkaIsAOneNodeStrimziCluster() {
        GenericKubernetesResource kafka = dev.custom("kafka.strimzi.io/v1beta2", "Kafka").stream().findFirst().orElseThrow();
        assertThat(kafka.getMetadata().getName()).isEqualTo("keyfleet-kafka");
        JsonNode tree = Rendered.tree(kafka);
        assertThat(tree.at("/spec/kafka/listeners/0/port").asInt()).isEqualTo(TlsRules.KAFKA_TLS_PORT);
        assertThat(tree.at("/spec/kafka/version").asText()).isNotBlank();
        GenericKubernetesResource pool = dev.custom("kafka.strimzi.io/v1beta2", "KafkaNodePool").stream().findFirst().orElseThrow();
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "keyfleet-kafka");
        assertThat(Rendered.tree(pool).at("/spec/roles").toString()).contains("broker", "controller");
        assertThat(dev.custom("kafka.strimzi.io/v1beta2", "KafkaTopic"))
                .allSatisfy(t -> assertThat(Rendered.tree(t).at("/spec/replicas").asInt()).isEqualTo(1));
        assertThat(prod.custom("kafka.strimzi.io/v1beta2", "Kafka")).as("prod uses the platform's Kafka").isEmpty();
    }

    @Test
    void devPostgresIsACloudNativePgClusterWithARoleAndDatabasePerService() {
        List<GenericKubernetesResource> clusters = dev.custom("postgresql.cnpg.io/v1", "Cluster");
        assertThat(clusters).hasSize(1);
        JsonNode cluster = Rendered.tree(clusters.get(0));
        String clusterName = clusters.get(0).getMetadata().getName();
        assertThat(cluster.at("/spec/instances").asInt()).isPositive();
        assertThat(cluster.at("/spec/storage/size").asText()).isNotBlank();
        assertThat(cluster.at("/spec/postgresql/pg_hba").toString()).as("logins without TLS refused")
                .contains("hostnossl all all all reject");
        Map<String, String> rolePasswords = new TreeMap<>();
        cluster.at("/spec/managed/roles").forEach(role -> {
            assertThat(role.path("login").asBoolean()).isTrue();
            rolePasswords.put(role.path("name").asText(), role.at("/passwordSecret/name").asText());
        });
        Map<String, JsonNode> databases = new TreeMap<>();
        dev.custom("postgresql.cnpg.io/v1", "Database").forEach(d -> databases.put(Rendered.tree(d).at("/spec/name").asText(), Rendered.tree(d)));

        for (ServiceCatalog.Service service : ServiceCatalog.ALL) {
            Secret db = dev.find(Secret.class, service.name() + "-db").orElseThrow();
            assertThat(db.getType()).isEqualTo("kubernetes.io/basic-auth");
            String user = decode(db, "username");
            assertThat(user).isEqualTo(service.database());
            assertThat(rolePasswords).containsEntry(user, db.getMetadata().getName());
            assertThat(decode(db, "host")).isEqualTo(clusterName + "-rw:5432");
            assertThat(dev.find(Deployment.class, service.name()).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getEnv()).anySatisfy(env -> assertThat(env.getValue()).as("KEYFLEET_DB_URL")
                    .startsWith("jdbc:postgresql://$(KEYFLEET_DB_HOST)/" + service.database() + "?"));
            assertThat(dev.find(Deployment.class, service.name()).orElseThrow().getSpec().getTemplate().getSpec().getVolumes())
                    .as("the CA of the cluster's server certificate").anySatisfy(v -> assertThat(v.getSecret()).isNotNull()
                            .satisfies(s -> assertThat(s.getSecretName()).isEqualTo(clusterName + "-ca")));
            JsonNode database = databases.get(service.database());
            assertThat(database).as("Database " + service.database()).isNotNull();
            assertThat(database.at("/spec/owner").asText()).isEqualTo(user);
            assertThat(database.at("/spec/cluster/name").asText()).isEqualTo(clusterName);
        }
        assertThat(prod.custom("postgresql.cnpg.io/v1", "Cluster")).as("prod PostgreSQL is external").isEmpty();
    }

    @Test
    void devServiceKeysPairWithEachServicesApiKey() {
        Map<String, String> pairs = ApiKeys.servicePairs(decode(dev.find(Secret.class, "key-service-secrets").orElseThrow(), "service-keys"));
        assertThat(pairs.keySet()).containsExactlyInAnyOrder("signing-service", "token-service", "sync-service");
        for (String service : pairs.keySet()) {
            assertThat(ApiKeys.isWellFormed(pairs.get(service))).as(service + " key well-formed").isTrue();
            assertThat(pairs).containsEntry(service, decode(dev.find(Secret.class, service + "-api-key").orElseThrow(), "api-key"));
        }
    }

    static Map<String, Set<String>> secretReferences(Rendered rendered) {
        Map<String, Set<String>> references = new TreeMap<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        references.computeIfAbsent(env.getValueFrom().getSecretKeyRef().getName(), k -> new TreeSet<>())
                                .add(env.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
        }
        return references;
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
