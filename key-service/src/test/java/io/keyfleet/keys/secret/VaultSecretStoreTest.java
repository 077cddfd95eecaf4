package io.keyfleet.keys.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.http.jdk.JDKVaultHttpClient;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code vault} adapter against a STAND-IN, not against Vault: no real Vault server can run on our build machines
 * (no registry we reach ships one). {@link FakeVaultServer} implements the few KV v2, auth and sys endpoints we use
 * the way Vault's HTTP API documentation describes them (version counter, {@code cas}, 404 with metadata for
 * destroyed versions, {@code X-Vault-Token} required). The deployments run the adapter against the real thing.
 */
class VaultSecretStoreTest extends SecretStoreContract {

    private static final String TOKEN = "hvs.stand-in-root-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeVaultServer vault;
    private static VaultSecretStore store;

    @BeforeAll
    static void startStandIn() throws Exception {
        vault = new FakeVaultServer("secret", TOKEN);
        store = new VaultSecretStore(client(vault.url(), TOKEN), "secret");
    }

    @AfterAll
    static void stopStandIn() {
        vault.close();
    }

    @Override
    SecretStore store() {
        return store;
    }

    @Test
    void speaksKvV2WithCasAndBase64Values() throws Exception {
        String path = newPath();
        byte[] secret = randomSecret(48);
        store.put(path, 1, secret);
        store.get(path, 1);
        store.destroy(path, 1);

        var calls = vault.requests().stream().filter(r -> r.path().endsWith(path)).toList();
        assertThat(calls).extracting(FakeVaultServer.Recorded::method).containsExactly("POST", "GET", "POST");
        assertThat(calls.get(0).path()).isEqualTo("/v1/secret/data/" + path);
        JsonNode write = JSON.readTree(calls.get(0).body());
        assertThat(write.at("/options/cas").asInt()).isZero();
        assertThat(write.at("/data/value").asText()).isEqualTo(Base64.getEncoder().encodeToString(secret));
        assertThat(calls.get(1).query()).isEqualTo("version=1");
        assertThat(calls.get(2).path()).isEqualTo("/v1/secret/destroy/" + path);
        assertThat(JSON.readTree(calls.get(2).body()).get("versions").toString()).isEqualTo("[1]");
        assertThat(calls).allSatisfy(call -> assertThat(call.token()).isEqualTo(TOKEN));
    }

    @Test
    void aWrongTokenIsAFailureNotAMissingSecret() {
        VaultSecretStore wrong = new VaultSecretStore(client(vault.url(), "hvs.wrong"), "secret");
        String path = newPath();
        store.put(path, 1, randomSecret(8));
        assertThatThrownBy(() -> wrong.get(path, 1)).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("403").hasMessageNotContaining("hvs.wrong");
        assertThatThrownBy(() -> wrong.put(path, 2, randomSecret(8))).isInstanceOf(SecretStoreException.class);
    }

    @Test
    void logsInWithKubernetesAuth(@TempDir Path dir) throws Exception {
        Path jwt = Files.writeString(dir.resolve("token"), "eyJ.service-account.jwt");
        vault.acceptKubernetesLogin("key-service", "eyJ.service-account.jwt");
        VaultSecretStore k8s = VaultSecretStore.create(config(vault.url(), Optional.empty(), Optional.of("key-service"), jwt));

        String path = newPath();
        byte[] secret = randomSecret(16);
        k8s.put(path, 1, secret);
        assertThat(k8s.get(path, 1)).isEqualTo(secret);
        var login = vault.requests().stream().filter(r -> r.path().equals("/v1/auth/kubernetes/login")).findFirst().orElseThrow();
        assertThat(JSON.readTree(login.body()).get("role").asText()).isEqualTo("key-service");
        assertThat(JSON.readTree(login.body()).get("jwt").asText()).isEqualTo("eyJ.service-account.jwt");
    }

    @Test
    void healthReportsAnUnsealedVaultAndFailsOnASealedOneOrNone() throws Exception {
        assertThat(store.health()).containsEntry("kvMount", "secret").containsKey("vaultVersion");
        vault.sealed = true;
        try {
            assertThatThrownBy(store::health).isInstanceOf(RuntimeException.class);
        } finally {
            vault.sealed = false;
        }
        VaultSecretStore nowhere = new VaultSecretStore(client("http://127.0.0.1:9", TOKEN), "secret");
        assertThatThrownBy(nowhere::health).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> nowhere.get(newPath(), 1)).isInstanceOf(SecretStoreException.class);
    }

    @Test
    void configurationMustNameUrlAndCredentials() {
        assertThatThrownBy(() -> VaultSecretStore.create(config(null, Optional.of(TOKEN), Optional.empty(), null)))
                .hasMessageContaining("keyfleet.secrets.vault.url");
        assertThatThrownBy(() -> VaultSecretStore.create(config(vault.url(), Optional.empty(), Optional.empty(), null)))
                .hasMessageContaining("keyfleet.secrets.vault.token");
        VaultSecretStore fromConfig = VaultSecretStore.create(config(vault.url(), Optional.of(TOKEN), Optional.empty(), null));
        String path = newPath();
        fromConfig.put(path, 1, new byte[] {1, 2, 3});
        assertThat(store.get(path, 1)).containsExactly(1, 2, 3);
    }

    private static VaultClient client(String url, String token) {
        return VaultClient.builder().baseUrl(url).executor(new JDKVaultHttpClient(HttpClient.newHttpClient()))
                .requestTimeout(Duration.ofSeconds(5)).clientToken(token).build();
    }

    private static SecretsConfig.Vault config(String url, Optional<String> token, Optional<String> role, Path jwt) {
        return new SecretsConfig.Vault() {
            public Optional<String> url() {
                return Optional.ofNullable(url);
            }

            public Optional<String> token() {
                return token;
            }

            public String kvMount() {
                return "secret";
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(5);
            }

            public Kubernetes kubernetes() {
                return new Kubernetes() {
                    public Optional<String> role() {
                        return role;
                    }

                    public Path jwtPath() {
                        return jwt;
                    }

                    public String authMount() {
                        return "kubernetes";
                    }
                };
            }
        };
    }
}
