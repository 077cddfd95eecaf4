package io.keyfleet.keys.keypair;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/** A freshly generated key pair with the encodings the API hands out. */
public record GeneratedKeyPair(String publicKeyBase64, String publicKeyPem, String privateKeyPem, String fingerprint) {

    public static GeneratedKeyPair generate(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaName);
            generator.initialize(algorithm.keySize);
            KeyPair pair = generator.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            return new GeneratedKeyPair(
                    Base64.getEncoder().encodeToString(spki),
                    pem("PUBLIC KEY", spki),
                    pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    fingerprint(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
        }
    }

    /** SHA-256 over the SubjectPublicKeyInfo DER, lower-case hex. */
    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "GeneratedKeyPair[fingerprint=" + fingerprint + "]";
    }
}
