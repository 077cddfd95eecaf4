package io.keyfleet.tokens.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final TokenCipher cipher = new TokenCipher(KEY);

    @Test
    void roundTripsAndHidesThePlaintext() {
        byte[] sealed = cipher.encrypt("202603BBc0ffee", "grt_1", "access");
        assertEquals("202603BBc0ffee", cipher.decrypt(sealed, "grt_1", "access"));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("c0ffee"));
        assertEquals(12 + 14 + 16, sealed.length, "iv + ciphertext + tag");
        assertFalse(java.util.Arrays.equals(sealed, cipher.encrypt("202603BBc0ffee", "grt_1", "access")), "a fresh IV each time");
        assertNull(cipher.encrypt(null, "grt_1", "access"));
        assertNull(cipher.decrypt(null, "grt_1", "access"));
    }

    @Test
    void aValueMovedToAnotherGrantOrFieldOrChangedDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("secret-token", "grt_1", "refresh");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "grt_2", "refresh"));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "grt_1", "access"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "grt_1", "refresh"));
        byte[] other = new byte[32];
        other[0] = 1;
        byte[] again = cipher.encrypt("secret-token", "grt_1", "refresh");
        assertThrows(IllegalStateException.class,
                () -> new TokenCipher(Base64.getEncoder().encodeToString(other)).decrypt(again, "grt_1", "refresh"));
    }

    @Test
    void refusesKeysThatAreNotAes256() {
        assertThrows(IllegalStateException.class, () -> new TokenCipher(Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalStateException.class, () -> new TokenCipher("not base64!"));
    }

    @Test
    void keyFileIsCreatedOnceOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets/token.key");
        String first = TokenCipher.keyFromFile(file);
        assertEquals(32, Base64.getDecoder().decode(first).length);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, TokenCipher.keyFromFile(file));
        assertArrayEquals(first.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(file));
    }
}
