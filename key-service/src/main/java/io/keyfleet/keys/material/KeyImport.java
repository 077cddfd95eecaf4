package io.keyfleet.keys.material;

import static io.keyfleet.keys.material.InvalidKeyMaterialException.certificate;
import static io.keyfleet.keys.material.InvalidKeyMaterialException.malformed;
import static io.keyfleet.keys.material.InvalidKeyMaterialException.mismatch;
import static io.keyfleet.keys.material.InvalidKeyMaterialException.tooWeak;
import static io.keyfleet.keys.material.InvalidKeyMaterialException.unsupported;
import static io.keyfleet.keys.material.InvalidKeyMaterialException.wrongKind;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Reads keys that users paste: PEM (PKCS#8, PKCS#1, SEC1, SubjectPublicKeyInfo), or bare base64 DER as provider
 * dashboards and key tools show it. Uses BouncyCastle's ASN.1 and lightweight API only; no provider is registered.
 * Error details never quote the input.
 */
public final class KeyImport {

    /** A 4096-bit key with a certificate chain around it is far below this. */
    private static final int MAX_INPUT_CHARS = 64 * 1024;
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final String PRIVATE_FORMATS =
            "PKCS#8 (\"-----BEGIN PRIVATE KEY-----\") or PKCS#1 (\"-----BEGIN RSA PRIVATE KEY-----\")";
    private static final String SUPPORTED = "use RSA (2048, 3072 or 4096 bits), EC P-256 or Ed25519";

    private KeyImport() {
    }

    private enum Kind { PUBLIC, PRIVATE, ENCRYPTED_PRIVATE, OPENSSH_PRIVATE, OPENSSH_PUBLIC, CERTIFICATE, CERTIFICATE_REQUEST }

    private record Decoded(Kind kind, SubjectPublicKeyInfo spki, PrivateKeyInfo pki) {
        static Decoded of(Kind kind) {
            return new Decoded(kind, null, null);
        }
    }

    /**
     * A key pair the user brings. The private key as PEM (PKCS#8, PKCS#1 RSA, SEC1 EC) or bare base64 of the same DER;
     * if a public key is given too it must belong to the private key.
     */
    public static KeyMaterial importPair(String privateKeyPem, String publicKeyPemOrBase64OrNull) {
        Decoded decoded = decode(privateKeyPem, true);
        switch (decoded.kind()) {
            case PRIVATE -> { }
            case PUBLIC, OPENSSH_PUBLIC -> throw wrongKind("this is a public key, but the private key is expected here: "
                    + PRIVATE_FORMATS);
            case CERTIFICATE -> throw certificate("this is an X.509 certificate, which holds only a public key; paste the "
                    + "private key: " + PRIVATE_FORMATS);
            case CERTIFICATE_REQUEST -> throw wrongKind("this is a certificate signing request, not a private key; paste the "
                    + "private key: " + PRIVATE_FORMATS);
            case ENCRYPTED_PRIVATE -> throw unsupported("the private key is encrypted with a passphrase; decrypt it first, "
                    + "e.g. `openssl pkey -in encrypted.pem -out key.pem`, and paste the result");
            case OPENSSH_PRIVATE -> throw unsupported("this is an OpenSSH private key; convert it to PKCS#8 first, e.g. "
                    + "`ssh-keygen -p -m PKCS8 -f <key file>` (rewrites the file in place)");
        }
        KeyMaterial pair = fromPrivateKeyInfo(decoded.pki());
        if (publicKeyPemOrBase64OrNull != null && !publicKeyPemOrBase64OrNull.isBlank()) {
            requireSamePublicKey(pair, importPublicKey(publicKeyPemOrBase64OrNull));
        }
        probe(pair);
        return pair;
    }

    /** A public key alone: SubjectPublicKeyInfo PEM, PKCS#1 "RSA PUBLIC KEY" PEM, or bare base64 of either. */
    public static KeyMaterial importPublicKey(String pemOrBase64) {
        Decoded decoded = decode(pemOrBase64, false);
        return switch (decoded.kind()) {
            case PUBLIC -> fromSpki(decoded.spki());
            case PRIVATE, ENCRYPTED_PRIVATE, OPENSSH_PRIVATE -> throw privateWherePublicExpected();
            case CERTIFICATE -> throw certificate("this is an X.509 certificate; paste the public key, e.g. "
                    + "`openssl x509 -pubkey -noout -in cert.pem`");
            case CERTIFICATE_REQUEST -> throw unsupported("this is a certificate signing request; paste the public key, "
                    + "e.g. `openssl req -pubkey -noout -in request.csr`");
            case OPENSSH_PUBLIC -> throw unsupported("this is an OpenSSH public key; convert it first, e.g. "
                    + "`ssh-keygen -e -m PKCS8 -f key.pub`, and paste the result");
        };
    }

    /** For {@link KeyMaterial#fromPkcs8}: no signature probe, the pair was checked when it was stored. */
    static KeyMaterial rebuild(byte[] pkcs8, String publicKeyBase64OrNull) {
        Decoded decoded = classify(pkcs8, true);
        if (decoded.kind() != Kind.PRIVATE) {
            throw malformed("not a PKCS#8 private key");
        }
        KeyMaterial pair = fromPrivateKeyInfo(decoded.pki());
        if (publicKeyBase64OrNull != null) {
            requireSamePublicKey(pair, importPublicKey(publicKeyBase64OrNull));
        }
        return pair;
    }

    private static InvalidKeyMaterialException privateWherePublicExpected() {
        return wrongKind("this is a private key, but only the public key belongs here (\"-----BEGIN PUBLIC KEY-----\" "
                + "or its base64). Keep the private key secret; if it has been shared, treat it as exposed and replace it");
    }

    // ---- text -> DER -> what it is

    private static Decoded decode(String text, boolean privateExpected) {
        if (text == null || text.isBlank()) {
            throw malformed("no key was given");
        }
        if (text.length() > MAX_INPUT_CHARS) {
            throw malformed("the text is too long to be a key (more than " + MAX_INPUT_CHARS + " characters)");
        }
        String t = text.strip().replace("\\r", "").replace("\\n", "\n"); // keys copied out of JSON strings
        if (t.startsWith("ssh-") || t.startsWith("ecdsa-sha2-") || t.startsWith("sk-")) {
            return Decoded.of(Kind.OPENSSH_PUBLIC);
        }
        if (!t.contains("-----BEGIN")) {
            return classify(base64(t, "not a key: expected PEM (\"-----BEGIN PUBLIC KEY-----\" ...) or the base64 text "
                    + "of the key"), privateExpected);
        }
        Matcher m = PEM_BLOCK.matcher(t);
        while (m.find()) {
            String label = m.group(1);
            String body = m.group(2);
            if (label.equals("EC PARAMETERS")) {
                continue; // `openssl ecparam -genkey` writes the curve before the key; SEC1 keys name it again
            }
            if (label.contains("CERTIFICATE REQUEST")) {
                return Decoded.of(Kind.CERTIFICATE_REQUEST);
            }
            if (label.contains("CERTIFICATE")) {
                return Decoded.of(Kind.CERTIFICATE);
            }
            if (label.equals("OPENSSH PRIVATE KEY")) {
                return Decoded.of(Kind.OPENSSH_PRIVATE);
            }
            if (label.contains("ENCRYPTED") || body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                return Decoded.of(Kind.ENCRYPTED_PRIVATE);
            }
            boolean privateLabel = label.endsWith("PRIVATE KEY");
            if (privateLabel && !privateExpected) {
                throw privateWherePublicExpected(); // even when the rest is damaged
            }
            return classify(base64(stripHeaders(body), "the PEM block does not contain valid base64"), privateExpected);
        }
        throw malformed("the PEM text is incomplete or damaged: no complete \"-----BEGIN ...-----\" / \"-----END ...-----\" "
                + "pair was found (was it cut off when copying?)");
    }

    private static String stripHeaders(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (String line : body.split("\\R")) {
            if (line.indexOf(':') < 0) {
                sb.append(line);
            }
        }
        return sb.toString();
    }

    private static byte[] base64(String text, String whenInvalid) {
        String compact = text.replaceAll("\\s+", "");
        if (compact.isEmpty() || !BASE64.matcher(compact).matches()) {
            throw malformed(whenInvalid);
        }
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw malformed(whenInvalid);
        }
    }

    /** Recognises the DER structure by its shape, so bare base64 works as well as PEM with any label. */
    private static Decoded classify(byte[] der, boolean privateExpected) {
        try {
            if (!(ASN1Primitive.fromByteArray(der) instanceof ASN1Sequence seq)) {
                throw malformed("the data is not a key structure (expected SubjectPublicKeyInfo, PKCS#8 or PKCS#1)");
            }
            int n = seq.size();
            ASN1Encodable e0 = n > 0 ? seq.getObjectAt(0) : null;
            ASN1Encodable e1 = n > 1 ? seq.getObjectAt(1) : null;
            ASN1Encodable e2 = n > 2 ? seq.getObjectAt(2) : null;
            if (n == 2 && e0 instanceof ASN1Sequence && e1 instanceof ASN1BitString) {
                return new Decoded(Kind.PUBLIC, SubjectPublicKeyInfo.getInstance(seq), null);
            }
            if (n == 2 && e0 instanceof ASN1Integer && e1 instanceof ASN1Integer) { // PKCS#1 RSAPublicKey
                return new Decoded(Kind.PUBLIC, new SubjectPublicKeyInfo(rsaAlgorithm(), RSAPublicKey.getInstance(seq)), null);
            }
            if (n == 2 && e0 instanceof ASN1Sequence && e1 instanceof ASN1OctetString) { // EncryptedPrivateKeyInfo
                return Decoded.of(Kind.ENCRYPTED_PRIVATE);
            }
            if (n >= 3 && e0 instanceof ASN1Integer && e1 instanceof ASN1Sequence && e2 instanceof ASN1OctetString) {
                return new Decoded(Kind.PRIVATE, null, PrivateKeyInfo.getInstance(seq));
            }
            if (n == 3 && e0 instanceof ASN1Sequence && e1 instanceof ASN1Sequence && e2 instanceof ASN1BitString) {
                if (isCertificate(seq)) {
                    return Decoded.of(Kind.CERTIFICATE);
                }
                if (isCertificateRequest(seq)) {
                    return Decoded.of(Kind.CERTIFICATE_REQUEST);
                }
            }
            if (n >= 9 && allIntegers(seq) && isZero(e0)) { // PKCS#1 RSAPrivateKey
                return new Decoded(Kind.PRIVATE, null, new PrivateKeyInfo(rsaAlgorithm(), RSAPrivateKey.getInstance(seq)));
            }
            if (n == 6 && allIntegers(seq) && isZero(e0)) { // OpenSSL "DSA PRIVATE KEY"
                throw privateExpected ? unsupported("DSA keys are not supported; " + SUPPORTED) : privateWherePublicExpected();
            }
            if (n >= 2 && e0 instanceof ASN1Integer v && BigInteger.ONE.equals(v.getValue()) && e1 instanceof ASN1OctetString) {
                return new Decoded(Kind.PRIVATE, null, sec1(ECPrivateKey.getInstance(seq), privateExpected));
            }
            throw malformed("the data is not a key structure (expected SubjectPublicKeyInfo, PKCS#8 or PKCS#1)");
        } catch (InvalidKeyMaterialException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) { // hostile DER may nest deeply
            throw malformed("the data is not valid DER (damaged or truncated?)");
        }
    }

    private static PrivateKeyInfo sec1(ECPrivateKey key, boolean privateExpected) throws IOException {
        if (!privateExpected) {
            throw privateWherePublicExpected();
        }
        ASN1Encodable curve = key.getParametersObject();
        if (curve == null) {
            throw unsupported("the EC private key does not name its curve; export it with the curve, e.g. "
                    + "`openssl pkey -in key.pem -out key-pkcs8.pem`");
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key);
    }

    private static boolean isCertificate(ASN1Sequence seq) {
        try {
            Certificate.getInstance(seq);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isCertificateRequest(ASN1Sequence seq) {
        try {
            CertificationRequest.getInstance(seq).getCertificationRequestInfo();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean allIntegers(ASN1Sequence seq) {
        for (ASN1Encodable e : seq) {
            if (!(e instanceof ASN1Integer)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(ASN1Encodable e) {
        return e instanceof ASN1Integer i && i.getValue().signum() == 0;
    }

    private static AlgorithmIdentifier rsaAlgorithm() {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
    }

    // ---- DER -> checked JDK keys

    private static KeyMaterial fromSpki(SubjectPublicKeyInfo spki) {
        KeyAlgorithm algorithm = algorithmOf(spki);
        return material(algorithm, jdkPublicKey(algorithm, spki), null);
    }

    private static KeyMaterial fromPrivateKeyInfo(PrivateKeyInfo pki) {
        requireSupported(pki.getPrivateKeyAlgorithm());
        SubjectPublicKeyInfo derived;
        PrivateKey privateKey;
        try {
            derived = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(derivePublic(PrivateKeyFactory.createKey(pki)));
        } catch (IOException | RuntimeException e) {
            throw malformed("the private key data is invalid");
        }
        KeyAlgorithm algorithm = algorithmOf(derived);
        PublicKey publicKey = jdkPublicKey(algorithm, derived);
        try {
            privateKey = KeyFactory.getInstance(algorithm.family())
                    .generatePrivate(new PKCS8EncodedKeySpec(pki.getEncoded(ASN1Encoding.DER)));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw malformed("the private key data is invalid");
        }
        return material(algorithm, publicKey, privateKey);
    }

    private static KeyMaterial material(KeyAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey) {
        try {
            return KeyMaterial.of(algorithm, publicKey, privateKey);
        } catch (IllegalArgumentException e) {
            throw malformed("the key data is invalid");
        }
    }

    private static AsymmetricKeyParameter derivePublic(AsymmetricKeyParameter key) {
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            return new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(ec.getParameters().getG(), ec.getD()), ec.getParameters());
        }
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return ed.generatePublicKey();
        }
        throw unsupported("this kind of private key is not supported; " + SUPPORTED);
    }

    /** Decides the algorithm of a public key and rejects weak or unsupported ones. */
    private static KeyAlgorithm algorithmOf(SubjectPublicKeyInfo spki) {
        String family = requireSupported(spki.getAlgorithm());
        if (!family.equals("RSA")) {
            return family.equals("EC") ? KeyAlgorithm.EC_P256 : KeyAlgorithm.ED25519;
        }
        RSAPublicKey rsa;
        try {
            rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
        } catch (IOException | RuntimeException e) {
            throw malformed("the RSA public key data is invalid");
        }
        BigInteger e = rsa.getPublicExponent();
        if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0) || rsa.getModulus().signum() <= 0) {
            throw malformed("the RSA public key data is invalid (bad public exponent or modulus)");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < 2048) {
            throw tooWeak("the RSA key is " + bits + " bits; the minimum is 2048 bits. Generate a new pair of 2048 bits "
                    + "or more");
        }
        KeyAlgorithm algorithm = KeyAlgorithm.rsa(bits);
        if (algorithm == null) {
            throw unsupported("the RSA key is " + bits + " bits; supported sizes are 2048, 3072 and 4096 bits");
        }
        return algorithm;
    }

    /** @return the key family ("RSA", "EC", "Ed25519") */
    private static String requireSupported(AlgorithmIdentifier id) {
        ASN1ObjectIdentifier oid = id.getAlgorithm();
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return "RSA";
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1Encodable parameters = id.getParameters();
            if (parameters == null || !(parameters.toASN1Primitive() instanceof ASN1ObjectIdentifier curve)) {
                throw unsupported("the EC key carries explicit curve parameters; only the named curve P-256 is supported");
            }
            if (!curve.equals(SECObjectIdentifiers.secp256r1)) {
                String name = ECNamedCurveTable.getName(curve);
                throw unsupported("the EC key uses curve " + (name == null ? "(unknown)" : name)
                        + "; only P-256 (secp256r1, prime256v1) is supported");
            }
            return "EC";
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return "Ed25519";
        }
        if (oid.equals(X9ObjectIdentifiers.id_dsa)) {
            throw unsupported("DSA keys are not supported; " + SUPPORTED);
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            throw unsupported("RSASSA-PSS-only keys are not supported; export the key as a plain RSA key (rsaEncryption)");
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
            throw unsupported("Ed448 keys are not supported; " + SUPPORTED);
        }
        if (oid.equals(EdECObjectIdentifiers.id_X25519) || oid.equals(EdECObjectIdentifiers.id_X448)) {
            throw unsupported("this is a key-agreement key (X25519/X448), not a signing key; " + SUPPORTED);
        }
        throw unsupported("the key algorithm is not supported; " + SUPPORTED);
    }

    private static PublicKey jdkPublicKey(KeyAlgorithm algorithm, SubjectPublicKeyInfo spki) {
        try {
            PublicKeyFactory.createKey(spki); // BouncyCastle validates: EC point on the curve, RSA modulus sane
            byte[] der = spki.getEncoded(ASN1Encoding.DER);
            return KeyFactory.getInstance(algorithm.family()).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw malformed("the public key data is invalid");
        }
    }

    private static void requireSamePublicKey(KeyMaterial pair, KeyMaterial given) {
        if (!pair.samePublicKey(given)) {
            throw mismatch("the private key does not belong to the public key given with it (private key is "
                    + pair.algorithm() + " with fingerprint " + pair.fingerprint() + ", public key is " + given.algorithm()
                    + " with fingerprint " + given.fingerprint() + ")");
        }
    }

    /** A private key whose public half matches can still be damaged (wrong d, p, q): prove it signs. */
    private static void probe(KeyMaterial pair) {
        try {
            byte[] data = "keyfleet key import probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(pair.algorithm().jcaSignatureAlgorithm());
            signer.initSign(pair.privateKey().orElseThrow());
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(pair.algorithm().jcaSignatureAlgorithm());
            verifier.initVerify(pair.publicKey());
            verifier.update(data);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // fall through
        }
        throw mismatch("the private key is inconsistent: a test signature made with it does not verify with its own "
                + "public key");
    }
}
