package io.keyfleet.kit.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownSecretsTest {

    private final KnownSecrets shipped = KnownSecrets.shipped();

    @Test
    void theShippedListHoldsTheDemoTestAndDefaultValues() {
        assertThat(shipped.contains("kf_test_ComposeDemoKeySigningServiceNotForProd003mdodI")).isTrue();
        assertThat(shipped.contains("kf_test_TestAdminKeyForKeyServiceTestsOnly0000013zaMH7")).isTrue();
        assertThat(shipped.contains("postgres")).isTrue();
        assertThat(shipped.contains(" keyfleet ")).isTrue();
        // base64 with or without its padding
        assertThat(shipped.contains("dGVzdC1vbmx5LWtleS0tMzItYnl0ZXMtLS0tLS0tLS0=")).isTrue();
        assertThat(shipped.contains("dGVzdC1vbmx5LWtleS0tMzItYnl0ZXMtLS0tLS0tLS0")).isTrue();
        assertThat(shipped.contains("# classic defaults")).isFalse();
        assertThat(shipped.contains("kf_test_" + "x".repeat(46))).isFalse();
        assertThat(shipped.contains("")).isFalse();
        assertThat(shipped.contains(null)).isFalse();
    }

    @Test
    void aKnownValueStopsTheStartNamingTheSettingButNeverTheValue() {
        List<ConfiguredSecret> secrets = List.of(
                new ConfiguredSecret("quarkus.datasource.password", "s3cret-of-our-own-7Qy0"),
                new ConfiguredSecret("keyfleet.credentials.service-keys (signing-service)", "kf_test_DevOverlayKeySigningServiceNotForProd0001BH3mC"),
                new ConfiguredSecret("keyfleet.audit.hmac-key", "compose-audit-hmac-key-change-me"));
        assertThatThrownBy(() -> KnownSecretsGuard.refuseKnown("key-service", secrets, shipped))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("key-service refuses to start in the prod profile: "
                        + "keyfleet.credentials.service-keys (signing-service), keyfleet.audit.hmac-key hold values")
                .hasMessageNotContaining("quarkus.datasource.password")
                .hasMessageNotContaining("DevOverlayKey")
                .hasMessageNotContaining("change-me");
    }

    @Test
    void secretsOfYourOwnPass() {
        assertThatCode(() -> KnownSecretsGuard.refuseKnown("token-service",
                List.of(new ConfiguredSecret("keyfleet.tokens.encryption-key", "bm90LWEtcHVibGlzaGVkLWtleS1hdC1hbGwtMTIzNDU=")), shipped))
                .doesNotThrowAnyException();
    }

    @Test
    void theKafkaPasswordIsTakenFromTheJaasLine() {
        assertThat(KitSecretSettings.jaasPassword("org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"key-service\" password=\"key-service-kafka-compose\";")).hasValue("key-service-kafka-compose");
        assertThat(KitSecretSettings.jaasPassword("org.apache.kafka.common.security.plain.PlainLoginModule required;")).isEmpty();
    }
}
