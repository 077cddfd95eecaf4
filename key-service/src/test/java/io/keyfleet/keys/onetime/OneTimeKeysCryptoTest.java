package io.keyfleet.keys.onetime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented contract: plaintext = UTF-8(salt + password), RSA/ECB/OAEPWithSHA-256AndMGF1Padding as the JDK
 * means it (MGF1-SHA1), MGF1-SHA256 accepted too; the salt prefix is checked and stripped.
 */
class OneTimeKeysCryptoTest {

    private static final String SALT = "q83vEjRWeJCrze8SNFZ4kA==";
    private static KeyPair pair;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        pair = generator.generateKeyPair();
    }

    @Test
    void jdkTransformationWithSaltPrefixDecryptsToThePassword() throws Exception {
        byte[] ct = jdkEncrypt(pair.getPublic(), SALT + "pässwörd 1");
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), ct, SALT)).isEqualTo("pässwörd 1".toCharArray());
    }

    @Test
    void mgf1Sha256ClientsAreAcceptedToo() throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(Cipher.ENCRYPT_MODE, pair.getPublic(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] ct = cipher.doFinal((SALT + "secret").getBytes(StandardCharsets.UTF_8));
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), ct, SALT)).isEqualTo("secret".toCharArray());
    }

    @Test
    void wrongSaltMissingSaltOrOtherPaddingIsRefused() throws Exception {
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), jdkEncrypt(pair.getPublic(), "AAAAAAAAAAAAAAAAAAAAAA==secret"), SALT)).isNull();
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), jdkEncrypt(pair.getPublic(), "secret"), SALT)).isNull();
        Cipher pkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        pkcs1.init(Cipher.ENCRYPT_MODE, pair.getPublic());
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), pkcs1.doFinal((SALT + "secret").getBytes(StandardCharsets.UTF_8)), SALT)).isNull();
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), new byte[256], SALT)).isNull();
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), new byte[3], SALT)).isNull();
    }

    @Test
    void anEmptyPasswordAfterTheSaltIsAllowed() throws Exception {
        assertThat(OneTimeKeys.open(pair.getPrivate().getEncoded(), jdkEncrypt(pair.getPublic(), SALT), SALT)).isEmpty();
    }

    static byte[] jdkEncrypt(PublicKey key, String plaintext) throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
    }
}
