package io.keyfleet.signing.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentEncryptionTest {

    @Test
    void alipayAesHasAFixedGoldenCiphertext() {
        // zero IV, so the ciphertext is fixed; computed with: printf '%s' 'hello alipay' | openssl enc -aes-128-cbc
        //   -K 00112233445566778899aabbccddeeff -iv 00000000000000000000000000000000 | base64
        String key = Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
        assertThat(AlipayAesContent.encrypt("hello alipay", key)).isEqualTo(TestKeys.VECTORS.getProperty("alipay-aes.ciphertext"));
        assertThat(AlipayAesContent.decrypt(TestKeys.VECTORS.getProperty("alipay-aes.ciphertext"), key)).isEqualTo("hello alipay");
    }

    @Test
    void aesGcmRoundTripsAndRefusesAnyChange() {
        Random random = new Random(20261122L);
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] aad = "tenant-a/callback".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            byte[] plaintext = new byte[random.nextInt(300)];
            random.nextBytes(plaintext);
            String sealed = AesGcmContent.encrypt(key, plaintext, aad);
            assertThat(AesGcmContent.decrypt(key, sealed, aad)).isEqualTo(plaintext);

            byte[] raw = Base64.getDecoder().decode(sealed);
            raw[random.nextInt(raw.length)] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> AesGcmContent.decrypt(key, Base64.getEncoder().encodeToString(raw), aad))
                    .isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> AesGcmContent.decrypt(key, sealed, "tenant-b/callback".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(MalformedMessageException.class);
        }
        byte[] same = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(AesGcmContent.encrypt(key, same, null)).isNotEqualTo(AesGcmContent.encrypt(key, same, null));
    }
}
