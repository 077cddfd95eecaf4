package io.keyfleet.deploy;

import static io.keyfleet.deploy.ConfigNames.envName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
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

/**
 * The {@code vault} secret backend as both deployments configure it, against the names key-service's adapter reads
 * (SecretsConfig), the calls its contract test exercises (VaultSecretStoreTest against the Vault stand-in), and the
 * Vault setup scripts and policy that go with each deployment.
 */
class VaultSettingsTest {

    private static final String SECRET_SOURCES = "key-service/src/main/java/io/keyfleet/keys/secret/";
    private static final String BACKEND = "keyfleet.secrets.backend";
    private static final String URL = "keyfleet.secrets.vault.url";
    private static final String TOKEN = "keyfleet.secrets.vault.token";
    private static final String KV_MOUNT = "keyfleet.secrets.vault.kv-mount";
    private static final String ROLE = "keyfleet.secrets.vault.kubernetes.role";
    private static final String JWT_PATH = "keyfleet.secrets.vault.kubernetes.jwt-path";
    private static final String AUTH_MOUNT = "keyfleet.secrets.vault.kubernetes.auth-mount";

    private static Set<String> adapterProperties;
    private static Compose compose;
    private static Rendered dev;
    private static Rendered prod;

    @BeforeAll
    static void load() {
        adapterProperties = ConfigNames.configMappingProperties(Repo.read(SECRET_SOURCES + "SecretsConfig.java"));
        compose = Compose.load();
        dev = Rendered.overlay("dev");
        prod = Rendered.overlay("prod");
    }

    static Stream<Rendered> overlays() {
        return Stream.of(dev, prod);
    }

    @Test
    void theAdapterReadsTheNamesTheDeploymentsUse() {
        assertThat(adapterProperties).contains(BACKEND, URL, TOKEN, KV_MOUNT, ROLE, JWT_PATH, AUTH_MOUNT);
        // and VaultSecretStore builds its client from exactly these (keyfleet.secrets.vault.*, not quarkus.vault.*)
        String adapter = Repo.read(SECRET_SOURCES + "VaultSecretStore.java");
        assertThat(adapter).contains("config.url()", "config.token()", "config.kvMount()", "config.kubernetes().role()",
                "config.kubernetes().jwtPath()", "config.kubernetes().authMount()");
    }

    @Test
    void composeGivesKeyServiceTheVaultBackendWithATokenOnlyItCanRead() {
        Map<String, String> env = compose.environment("key-service");
        assertThat(env).containsEntry(envName(BACKEND), "vault");
        assertThat(env.get(envName(URL))).isEqualTo("https://vault:" + listenerPort());
        String kvMount = env.getOrDefault(envName(KV_MOUNT), contractKvMount());
        assertThat(kvMount).isEqualTo(contractKvMount()).isEqualTo(compose.environment("vault-init").get("KV_MOUNT"));
        assertThat(policyMounts()).containsOnly(kvMount);

        // the token: written by vault-init to a file on a volume only key-service (read-only) and vault-init mount
        String initScript = Repo.read("deploy/vault/init-compose.sh");
        Matcher tokenFile = Pattern.compile("(?m)^TOKEN_FILE=(\\S+)$").matcher(initScript);
        assertThat(tokenFile.find()).isTrue();
        String entrypoint = String.join(" ", compose.list("key-service", "entrypoint"));
        assertThat(entrypoint).contains("export " + envName(TOKEN) + "=").contains("cat " + tokenFile.group(1));
        String tokenDir = tokenFile.group(1).substring(0, tokenFile.group(1).lastIndexOf('/'));
        assertThat(compose.list("key-service", "volumes")).contains("vault-tokens:" + tokenDir + ":ro");
        assertThat(compose.list("vault-init", "volumes")).contains("vault-tokens:" + tokenDir);
        assertThat(initScript).contains("-policy=key-service").contains("vault policy write key-service /vault/policies/key-service.hcl");
        for (String service : compose.services.keySet()) {
            if (!Set.of("key-service", "vault-init").contains(service)) {
                assertThat(compose.list(service, "volumes")).as(service).noneMatch(v -> v.startsWith("vault-tokens:"));
            }
            if (!service.equals("vault-init")) {
                assertThat(compose.list(service, "volumes")).as(service + " never sees the unseal key").noneMatch(v -> v.startsWith("vault-init:"));
            }
            if (!service.equals("key-service") && ServiceCatalog.ALL.stream().anyMatch(s -> s.name().equals(service))) {
                assertThat(compose.environment(service).keySet()).as(service).noneMatch(k -> k.startsWith("KEYFLEET_SECRETS_"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kubernetesGivesKeyServiceTheVaultBackendWithKubernetesAuth(Rendered rendered) {
        Map<String, String> config = rendered.find(ConfigMap.class, "key-service-config").orElseThrow().getData();
        Map<String, String> script = configureScriptSettings();
        assertThat(config).containsEntry(envName(BACKEND), "vault").containsKey(envName(URL)).doesNotContainKey(envName(TOKEN));
        assertThat(config.get(envName(URL))).startsWith("https://");
        assertThat(config.get(envName(KV_MOUNT))).isEqualTo(script.get("KV_MOUNT")).isEqualTo(contractKvMount());
        assertThat(policyMounts()).containsOnly(config.get(envName(KV_MOUNT)));
        assertThat(config.get(envName(AUTH_MOUNT))).isEqualTo(script.get("AUTH_MOUNT")).isEqualTo(contractAuthMount());

        // the role: bound to key-service's ServiceAccount, the only one with the key-service policy
        Deployment keyService = rendered.find(Deployment.class, "key-service").orElseThrow();
        PodSpec pod = keyService.getSpec().getTemplate().getSpec();
        Map<String, String> roles = roles();
        String role = config.get(envName(ROLE));
        assertThat(role).isEqualTo(pod.getServiceAccountName()).isEqualTo(contractRole());
        assertThat(roles).containsEntry(role, "key-service");
        assertThat(roles).as("one role per service, no other with the key-service policy")
                .containsOnlyKeys(rendered.all(Deployment.class).stream().map(d -> d.getMetadata().getName())
                        .filter(n -> !n.equals("provider-sandbox")).toArray(String[]::new));
        roles.forEach((name, policies) -> assertThat(name.equals(role) || !policies.contains("key-service")).as(name).isTrue());

        // the JWT: a projected service account token for audience "vault", where jwt-path says
        String jwtPath = config.get(envName(JWT_PATH));
        VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> jwtPath.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        ServiceAccountTokenProjection token = ManifestRules.volume(pod, mount.getName()).orElseThrow().getProjected()
                .getSources().stream().map(s -> s.getServiceAccountToken()).filter(t -> t != null).findFirst().orElseThrow();
        assertThat(mount.getMountPath() + "/" + token.getPath()).isEqualTo(jwtPath);
        assertThat(token.getAudience()).isEqualTo(script.get("AUDIENCE"));

        for (Deployment other : rendered.all(Deployment.class)) {
            if (!other.getMetadata().getName().equals("key-service")) {
                assertThat(ManifestRules.environment(rendered, other).keySet()).as(other.getMetadata().getName())
                        .noneMatch(k -> k.startsWith("KEYFLEET_SECRETS_"));
                assertThat(other.getSpec().getTemplate().getSpec().getVolumes()).as(other.getMetadata().getName())
                        .noneMatch(v -> v.getProjected() != null);
            }
        }
    }

    @Test
    void thePolicyCoversEveryPrefixKeySericeWritesAndNothingElse() {
        Set<String> prefixes = new TreeSet<>();
        Pattern start = Pattern.compile("(?:secretRef\\s*=|return)\\s*\"([a-z-]+)/\"\\s*\\+");
        for (var source : Repo.javaSources("key-service/src/main/java")) {
            Matcher matcher = start.matcher(Repo.read(source));
            while (matcher.find()) {
                prefixes.add(matcher.group(1));
            }
        }
        assertThat(prefixes).contains("tenants", "onetime");
        Map<String, String> policy = policyPaths();
        Map<String, String> expected = new TreeMap<>();
        for (String prefix : prefixes) {
            expected.put(contractKvMount() + "/data/" + prefix + "/*", "[\"create\", \"read\", \"update\"]");
            expected.put(contractKvMount() + "/destroy/" + prefix + "/*", "[\"update\"]");
        }
        assertThat(policy).isEqualTo(expected);
    }

    /** path -> capabilities of the key-service policy. */
    static Map<String, String> policyPaths() {
        Matcher matcher = Pattern.compile("path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*(\\[[^]]*])\\s*}")
                .matcher(Repo.read("deploy/vault/policies/key-service.hcl"));
        Map<String, String> paths = new TreeMap<>();
        while (matcher.find()) {
            paths.put(matcher.group(1), matcher.group(2));
        }
        return paths;
    }

    private static Set<String> policyMounts() {
        Set<String> mounts = new TreeSet<>();
        policyPaths().keySet().forEach(path -> mounts.add(path.substring(0, path.indexOf('/'))));
        return mounts;
    }

    private static int listenerPort() {
        Matcher matcher = Pattern.compile("address\\s*=\\s*\"[^\":]*:(\\d+)\"").matcher(Repo.read("deploy/vault/vault.hcl"));
        assertThat(matcher.find()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** NAME=value lines at the top of configure-kubernetes.sh. */
    private static Map<String, String> configureScriptSettings() {
        Matcher matcher = Pattern.compile("(?m)^([A-Z_]+)=([\\w-]+)$").matcher(Repo.read("deploy/vault/configure-kubernetes.sh"));
        Map<String, String> settings = new TreeMap<>();
        while (matcher.find()) {
            settings.put(matcher.group(1), matcher.group(2));
        }
        return settings;
    }

    /** role -> policies of configure-kubernetes.sh (role name = ServiceAccount name). */
    private static Map<String, String> roles() {
        Matcher matcher = Pattern.compile("(?m)^role\\s+(\\S+)\\s+(\\S+)\\s*$").matcher(Repo.read("deploy/vault/configure-kubernetes.sh"));
        Map<String, String> roles = new TreeMap<>();
        while (matcher.find()) {
            roles.put(matcher.group(1), matcher.group(2));
        }
        assertThat(Repo.read("deploy/vault/configure-kubernetes.sh")).contains("bound_service_account_names=\"$1\"");
        return roles;
    }

    private static String contractTest() {
        return Repo.read("key-service/src/test/java/io/keyfleet/keys/secret/VaultSecretStoreTest.java");
    }

    /** The KV mount the contract test runs the adapter against. */
    private static String contractKvMount() {
        Matcher matcher = Pattern.compile("new FakeVaultServer\\(\"([^\"]+)\"").matcher(contractTest());
        assertThat(matcher.find()).as("VaultSecretStoreTest starts its stand-in with a mount").isTrue();
        return matcher.group(1);
    }

    private static String contractAuthMount() {
        Matcher matcher = Pattern.compile("\"/v1/auth/([^/\"]+)/login\"").matcher(contractTest());
        assertThat(matcher.find()).as("VaultSecretStoreTest logs in with Kubernetes auth").isTrue();
        return matcher.group(1);
    }

    private static String contractRole() {
        Matcher matcher = Pattern.compile("acceptKubernetesLogin\\(\"([^\"]+)\"").matcher(contractTest());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
