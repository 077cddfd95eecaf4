package io.keyfleet.tokens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCipherTest {

    private static final String K1 = Base64.getEncoder().encodeToString(filled(1));
    private static final String K2 = Base64.getEncoder().encodeToString(filled(2));
    private static final String K3 = Base64.getEncoder().encodeToString(filled(3));

    private final TokenCipher legacy = cipher(K1);
    private final TokenCipher both = cipher("2:" + K2 + ",1:" + K1);

    @Test
    void roundTripsAndHidesThePlaintext() {
        for (TokenCipher cipher : new TokenCipher[] {legacy, both}) {
            int key = cipher.keys().activeId();
            byte[] sealed = cipher.encrypt("202603BBc0ffee", "grt_1", "access");
            assertEquals("202603BBc0ffee", cipher.decrypt(sealed, key, "grt_1", "access"));
            assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("c0ffee"));
            assertFalse(Arrays.equals(sealed, cipher.encrypt("202603BBc0ffee", "grt_1", "access")), "a fresh IV each time");
            assertNull(cipher.encrypt(null, "grt_1", "access"));
            assertNull(cipher.decrypt(null, key, "grt_1", "access"));
        }
        assertEquals(12 + 14 + 16, legacy.encrypt("202603BBc0ffee", "grt_1", "access").length, "key 1: iv + ciphertext + tag");
        byte[] underKey2 = both.encrypt("202603BBc0ffee", "grt_1", "access");
        assertEquals(1 + 4 + 12 + 14 + 16, underKey2.length, "format + key id + iv + ciphertext + tag");
        assertEquals(1, underKey2[0]);
        assertEquals(2, ByteBuffer.wrap(underKey2, 1, 4).getInt(), "the value names its key");
    }

    /** What token-service wrote before key ids existed, byte for byte: AES-GCM, iv ‖ ciphertext ‖ tag, "grant/field". */
    @Test
    void tokensWrittenBeforeKeyIdsAreKey1AndReadByEveryConfigurationHoldingIt() throws Exception {
        byte[] iv = new byte[12];
        iv[0] = 7;
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(filled(1), "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD("grt_old/refresh".getBytes(StandardCharsets.UTF_8));
        byte[] sealed = ByteBuffer.allocate(12 + 16 + 9).put(iv).put(gcm.doFinal("rt-legacy".getBytes(StandardCharsets.UTF_8))).array();

        assertEquals("rt-legacy", legacy.decrypt(sealed, 1, "grt_old", "refresh"));
        assertEquals("rt-legacy", both.decrypt(sealed, 1, "grt_old", "refresh"));
        // and what key 1 writes now is what the previous version reads (during an upgrade it still runs beside this one)
        byte[] written = cipher("1:" + K1 + ",2:" + K2, 1).encrypt("rt-new", "grt_new", "refresh");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(filled(1), "AES"), new GCMParameterSpec(128, written, 0, 12));
        gcm.updateAAD("grt_new/refresh".getBytes(StandardCharsets.UTF_8));
        assertEquals("rt-new", new String(gcm.doFinal(written, 12, written.length - 12), StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cipher("2:" + K2).decrypt(sealed, 1, "grt_old", "refresh"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("token key 1, which is not configured").hasMessageContaining("[2]")
                .hasMessageNotContaining(K1).hasMessageNotContaining(K2);
    }

    @Test
    void aValueMovedToAnotherGrantOrFieldOrChangedDoesNotDecrypt() {
        for (TokenCipher cipher : new TokenCipher[] {legacy, both}) {
            int key = cipher.keys().activeId();
            byte[] sealed = cipher.encrypt("secret-token", "grt_1", "refresh");
            assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, key, "grt_2", "refresh"));
            assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, key, "grt_1", "access"));
            sealed[sealed.length - 1] ^= 1;
            assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, key, "grt_1", "refresh"));
            assertThrows(IllegalStateException.class, () -> cipher.decrypt(new byte[3], key, "grt_1", "refresh"));
        }
        byte[] again = legacy.encrypt("secret-token", "grt_1", "refresh");
        assertThrows(IllegalStateException.class, () -> cipher(K2).decrypt(again, 1, "grt_1", "refresh"));
    }

    @Test
    void aTamperedKeyIdDoesNotDecrypt() {
        // key 3 holds the same bytes as key 2: only the key id in the associated data tells them apart
        TokenCipher three = cipher("3:" + K2 + ",2:" + K2 + ",1:" + K1, 2);
        byte[] sealed = three.encrypt("secret-token", "grt_1", "access");
        assertEquals("secret-token", three.decrypt(sealed, 2, "grt_1", "access"));

        assertThatThrownBy(() -> three.decrypt(sealed, 3, "grt_1", "access")).as("the row names another key")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not name token key 3");
        assertThatThrownBy(() -> three.decrypt(sealed, 1, "grt_1", "access")).as("the row claims the format of key 1")
                .isInstanceOf(IllegalStateException.class);
        byte[] renamed = sealed.clone();
        ByteBuffer.wrap(renamed).putInt(1, 3);
        assertThatThrownBy(() -> three.decrypt(renamed, 3, "grt_1", "access")).as("value and row both say key 3")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not decrypt with token key 3");
        byte[] legacyValue = legacy.encrypt("secret-token", "grt_1", "access");
        assertThatThrownBy(() -> three.decrypt(legacyValue, 2, "grt_1", "access")).as("a key-1 value in a row that says key 2")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keysAreOneBareKeyOrIdsTheHighestActiveUnlessNamed() {
        assertThat(TokenKeys.parse(K1, "env", Optional.empty()).ids()).containsExactly(1);
        TokenKeys keys = TokenKeys.parse("# keys\n1:" + K1 + "\n3:" + K3 + "\n", "file", Optional.empty());
        assertThat(keys.ids()).containsExactly(1, 3);
        assertThat(keys.activeId()).isEqualTo(3);
        assertThat(TokenKeys.parse("2:" + K2 + ", 1:" + K1, "env", Optional.of(1)).activeId()).isEqualTo(1);
        assertThat(keys.toString()).doesNotContain(K1).doesNotContain(K3);
        for (Map.Entry<String, Optional<Integer>> bad : Map.of(
                Base64.getEncoder().encodeToString(new byte[16]), Optional.<Integer>empty(),
                "not base64!", Optional.<Integer>empty(),
                "1:" + K1 + ",1:" + K2, Optional.<Integer>empty(),
                "0:" + K1, Optional.<Integer>empty(),
                "2:" + K2 + ",1:" + K1, Optional.of(3)).entrySet()) {
            assertThatThrownBy(() -> TokenKeys.parse(bad.getKey(), "the-source", bad.getValue())).as(bad.getKey())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the-source")
                    .hasMessageNotContaining(K1).hasMessageNotContaining(K2);
        }
    }

    @Test
    void keyFileIsCreatedOnceOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets/token.key");
        String first = TokenCipher.keyFromFile(file);
        assertEquals(32, Base64.getDecoder().decode(first).length);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, TokenCipher.keyFromFile(file));
        assertArrayEquals(first.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(file));
        Files.writeString(file, "2:" + K2 + "\n1:" + first + "\n");
        assertThat(TokenKeys.parse(TokenCipher.keyFromFile(file), file.toString(), Optional.empty()).ids()).containsExactly(1, 2);
    }

    private static TokenCipher cipher(String keys) {
        return new TokenCipher(TokenKeys.parse(keys, "test", Optional.empty()));
    }

    private static TokenCipher cipher(String keys, int active) {
        return new TokenCipher(TokenKeys.parse(keys, "test", Optional.of(active)));
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
