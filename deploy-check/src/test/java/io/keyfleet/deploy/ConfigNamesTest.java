package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reading of configuration names the env checks rely on. */
class ConfigNamesTest {

    @Test
    void readsNestedGroupsOptionalsAndKebabCaseFromAConfigMapping() {
        String source = """
                package x;
                /** {@code keyfleet.demo.*} */
                @ConfigMapping(prefix = "keyfleet.demo")
                public interface DemoConfig {
                    @WithDefault("local")
                    Backend backend();
                    Optional<String> masterKeyFile(); // a comment with interface Fake { }
                    Remote remote();
                    enum Backend { LOCAL, VAULT }
                    interface Remote {
                        @WithDefault("PT10S")
                        Duration requestTimeout();
                        Optional<Auth> auth();
                        interface Auth {
                            Optional<String> role();
                            @WithDefault("/var/run/secrets/token")
                            Path jwtPath();
                        }
                    }
                }
                """;
        assertThat(ConfigNames.configMappingProperties(source)).containsExactlyInAnyOrder(
                "keyfleet.demo.backend", "keyfleet.demo.master-key-file", "keyfleet.demo.remote.request-timeout",
                "keyfleet.demo.remote.auth.role", "keyfleet.demo.remote.auth.jwt-path");
    }

    @Test
    void refusesMappingsItCannotFollow() {
        assertThatThrownBy(() -> ConfigNames.configMappingProperties("""
                @ConfigMapping(prefix = "a")
                interface A { @WithName("x") String y(); }
                """)).hasMessageContaining("@WithName");
    }

    @Test
    void environmentNamesFollowMicroProfileConfig() {
        assertThat(ConfigNames.envName("keyfleet.secrets.vault.kv-mount")).isEqualTo("KEYFLEET_SECRETS_VAULT_KV_MOUNT");
        assertThat(ConfigNames.envName("quarkus.datasource.jdbc.url")).isEqualTo("QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(ConfigNames.envReferences("a=${KEYFLEET_DB_URL:jdbc:postgresql://x/y}\nb=${KEYFLEET_AUDIT_HMAC_KEY}\nc=${lower}"))
                .containsExactly("KEYFLEET_AUDIT_HMAC_KEY", "KEYFLEET_DB_URL");
        assertThat(ConfigNames.propertyNames("%test.keyfleet.a=1\nkeyfleet.b = 2\n# keyfleet.c=3")).containsExactly("keyfleet.a", "keyfleet.b");
    }

    @Test
    void aValueContinuesOnTheNextLineAfterABackslash() {
        String text = "%test.a.keys=one,\\\n  two,\\\n  three\n# comment \\\nkeyfleet.b=x\\\\\nkeyfleet.c=y\n";
        assertThat(ConfigNames.properties(text)).containsExactly(
                java.util.Map.entry("%test.a.keys", "one,two,three"),
                java.util.Map.entry("keyfleet.b", "x\\\\"),
                java.util.Map.entry("keyfleet.c", "y"));
    }

    @Test
    void keyServiceReadsItsSecretBackendSettingsAndNotSigningServices() {
        var keyService = ServiceCatalog.environment(ServiceCatalog.KEY_SERVICE);
        assertThat(keyService).contains("KEYFLEET_SECRETS_BACKEND", "KEYFLEET_SECRETS_VAULT_URL",
                "KEYFLEET_SECRETS_VAULT_KUBERNETES_JWT_PATH", "KEYFLEET_OUTBOX_BATCH_SIZE", "KEYFLEET_AUDIT_HMAC_KEY");
        var signing = ServiceCatalog.environment(ServiceCatalog.named("signing-service"));
        assertThat(signing).contains("KEYFLEET_DB_URL", "KAFKA_BOOTSTRAP_SERVERS").doesNotContain("KEYFLEET_SECRETS_VAULT_URL");
        assertThat(ServiceCatalog.environment(ServiceCatalog.named("token-service"))).contains("KEYFLEET_SIGNING_URL", "KEYFLEET_GATEWAY_URL");
    }
}
