package io.keyfleet.keys.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    private static final KeyPairFactory FACTORY = new KeyPairFactory(0, new SimpleMeterRegistry());

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void toStringShowsNoPrivateMaterial() {
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            KeyMaterial material = FACTORY.generate(algorithm);
            String text = material.toString();
            String privateBase64 = Base64.getEncoder().encodeToString(material.privateKeyPkcs8().orElseThrow());

            assertThat(text).contains(algorithm.name(), material.fingerprint()).doesNotContain("BEGIN");
            for (int i = 0; i + 12 <= privateBase64.length(); i += 6) {
                assertThat(text).doesNotContain(privateBase64.substring(i, i + 12));
            }
        }
    }

    @Test
    void privateKeyBytesAreACopy() {
        KeyMaterial material = FACTORY.generate(KeyAlgorithm.EC_P256);
        byte[] first = material.privateKeyPkcs8().orElseThrow();
        byte[] copy = first.clone();
        java.util.Arrays.fill(first, (byte) 0);
        assertThat(material.privateKeyPkcs8().orElseThrow()).isEqualTo(copy);
    }

    @Test
    void aPublicKeyAloneCannotSign() {
        KeyMaterial publicOnly = KeyImport.importPublicKey(FACTORY.generate(KeyAlgorithm.ED25519).publicKeyPem());
        assertThat(publicOnly.canSign()).isFalse();
        assertThat(publicOnly.privateKey()).isEmpty();
        assertThat(publicOnly.privateKeyPem()).isEmpty();
        assertThat(publicOnly.privateKeyPkcs8()).isEmpty();
        assertThat(publicOnly.toString()).contains("absent");
    }

    @Test
    void rebuildsAStoredPair() {
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.RSA_2048, KeyAlgorithm.EC_P256, KeyAlgorithm.ED25519}) {
            KeyMaterial generated = FACTORY.generate(algorithm);
            byte[] pkcs8 = generated.privateKeyPkcs8().orElseThrow();

            KeyMaterial stored = KeyMaterial.fromPkcs8(algorithm, pkcs8, generated.publicKeyBase64());
            assertThat(stored.fingerprint()).isEqualTo(generated.fingerprint());
            assertThat(stored.privateKeyPkcs8().orElseThrow()).isEqualTo(pkcs8);
            assertThat(KeyMaterial.fromPkcs8(algorithm, pkcs8, null).fingerprint()).isEqualTo(generated.fingerprint());
        }
    }

    @Test
    void storedMaterialThatDoesNotFitIsAServerFault() {
        KeyMaterial a = FACTORY.generate(KeyAlgorithm.RSA_2048);
        KeyMaterial b = FACTORY.generate(KeyAlgorithm.RSA_2048);
        byte[] pkcs8 = a.privateKeyPkcs8().orElseThrow();

        assertThatThrownBy(() -> KeyMaterial.fromPkcs8(KeyAlgorithm.RSA_2048, pkcs8, b.publicKeyBase64()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY_MISMATCH");
        assertThatThrownBy(() -> KeyMaterial.fromPkcs8(KeyAlgorithm.RSA_3072, pkcs8, a.publicKeyBase64()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RSA_2048");
        assertThatThrownBy(() -> KeyMaterial.fromPkcs8(KeyAlgorithm.RSA_2048, new byte[] {1, 2, 3}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY_MALFORMED");
    }
}
