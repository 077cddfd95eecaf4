package io.keyfleet.sandbox.support;

import java.nio.charset.Charset;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA2 as Alipay uses it: SHA256withRSA (PKCS#1 v1.5), signatures in standard base64. */
public final class Rsa {

    private Rsa() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String content, Charset charset, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(content.getBytes(charset));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** False for a wrong signature and for one that is not even base64 or of the wrong length. */
    public static boolean verify(String content, Charset charset, String signBase64, PublicKey key) {
        try {
            byte[] sign = Base64.getMimeDecoder().decode(signBase64);
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(content.getBytes(charset));
            return signature.verify(sign);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    public static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key in PKCS#8", e);
        }
    }

    public static PublicKey publicKey(byte[] spki) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key in X.509 SubjectPublicKeyInfo", e);
        }
    }

    /** PEM or bare base64 (what Alipay's console and key tools show) to DER; null when it is neither. */
    public static byte[] derFromText(String text) {
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static int modulusBits(PublicKey key) {
        return key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
    }
}
