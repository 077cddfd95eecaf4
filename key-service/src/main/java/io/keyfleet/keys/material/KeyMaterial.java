package io.keyfleet.keys.material;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key, and the private key when we hold it, with the encodings the API hands out. Immutable.
 * Keys are held as JDK key objects re-built from their values, so the same key always has the same
 * encoding and fingerprint, whichever provider generated it or however it was pasted.
 */
public final class KeyMaterial {

    private final KeyAlgorithm algorithm;
    private final PublicKey publicKey;
    private final PrivateKey privateKey;
    private final byte[] spki;
    private final String fingerprint;

    private KeyMaterial(KeyAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.privateKey = privateKey;
        this.spki = publicKey.getEncoded();
        this.fingerprint = HexFormat.of().formatHex(sha256(spki));
    }

    /** Normalises both keys to JDK key objects; the caller has checked that they belong together. */
    static KeyMaterial of(KeyAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKeyOrNull) {
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm.family());
            PublicKey pub = factory.generatePublic(publicSpec(algorithm, publicKey));
            PrivateKey priv = privateKeyOrNull == null ? null
                    : factory.generatePrivate(new PKCS8EncodedKeySpec(privateKeyOrNull.getEncoded()));
            return new KeyMaterial(algorithm, pub, priv);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a usable " + algorithm + " key", e);
        }
    }

    private static KeySpec publicSpec(KeyAlgorithm algorithm, PublicKey key) {
        return switch (algorithm.family()) {
            case "RSA" -> new RSAPublicKeySpec(((RSAPublicKey) key).getModulus(), ((RSAPublicKey) key).getPublicExponent());
            case "EC" -> new ECPublicKeySpec(((ECPublicKey) key).getW(), ((ECPublicKey) key).getParams());
            default -> new EdECPublicKeySpec(NamedParameterSpec.ED25519, ((EdECPublicKey) key).getPoint());
        };
    }

    /**
     * Rebuilds a stored pair (PKCS#8 from the secret store, public key as stored). {@code publicKeyBase64} may be
     * null, then the public key is derived from the private key. Stored material that does not parse or does not
     * match is a server-side fault, hence {@link IllegalArgumentException} rather than a 4xx.
     */
    public static KeyMaterial fromPkcs8(KeyAlgorithm algorithm, byte[] pkcs8, String publicKeyBase64) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(pkcs8, "pkcs8");
        KeyMaterial material;
        try {
            material = KeyImport.rebuild(pkcs8, publicKeyBase64);
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalArgumentException("stored " + algorithm + " key material is not usable: " + e.getMessage());
        }
        if (material.algorithm != algorithm) {
            throw new IllegalArgumentException("stored key material is " + material.algorithm + ", expected " + algorithm);
        }
        return material;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    public boolean canSign() {
        return privateKey != null;
    }

    /** SHA-256 of the SubjectPublicKeyInfo DER, lower-case hex. */
    public String fingerprint() {
        return fingerprint;
    }

    /** SubjectPublicKeyInfo DER in base64 on one line: what provider dashboards ask to paste. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(spki);
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", spki);
    }

    public Optional<String> privateKeyPem() {
        return privateKeyPkcs8().map(der -> pem("PRIVATE KEY", der));
    }

    /** PKCS#8 DER; a fresh copy on every call, so the caller may wipe it. */
    public Optional<byte[]> privateKeyPkcs8() {
        return privateKey == null ? Optional.empty() : Optional.of(privateKey.getEncoded().clone());
    }

    boolean samePublicKey(KeyMaterial other) {
        return other.algorithm == algorithm && MessageDigest.isEqual(other.spki, spki);
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + algorithm + ", fingerprint=" + fingerprint + ", private key "
                + (privateKey == null ? "absent" : "present") + "]";
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
