package io.keyfleet.keys.support;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * The client side of applyPublicKey, in plain JDK: it encrypts UTF-8(salt + password) with the returned key using
 * RSA/ECB/OAEPWithSHA-256AndMGF1Padding (the documented contract, see OneTimeKeys).
 */
public final class OneTimeClient {

    private OneTimeClient() {
    }

    /** Exactly what a client does with an applyPublicKey answer: UTF-8(salt + password), encrypted, base64. */
    public static String clientEncrypt(JsonPath applied, String password) throws Exception {
        return encrypt(applied.getString("publicKeyInfo.publicKey"), applied.getString("publicKeyInfo.salt") + password);
    }

    public static String encrypt(String publicKeyBase64, String plaintext) throws Exception {
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64)));
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    }
}
