package io.keyfleet.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests of Alipay's public-key certificate mode: self-signed roots (RSA with SHA-256 or SHA-1, or EC),
 * intermediate CAs and end-entity certificates for a given public key, with chosen serials and validity.
 */
public final class TestCa {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A CA: its certificate and key pair. */
    public record Authority(X509Certificate certificate, KeyPair keys) {
        public String pem() {
            return TestCa.pem(certificate);
        }
    }

    private TestCa() {
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed root valid from a day ago for ten years; {@code algorithm} e.g. SHA256withRSA, SHA1withRSA, SHA256withECDSA. */
    public static Authority root(String dn, String algorithm) {
        KeyPair keys = algorithm.endsWith("ECDSA") ? ec() : rsa();
        Instant now = Instant.now();
        X509Certificate cert = issue(new X500Principal(dn), keys.getPublic(), new X500Principal(dn), keys, algorithm,
                serial(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true);
        return new Authority(cert, keys);
    }

    /** An intermediate CA issued by {@code issuer}. */
    public static Authority intermediate(Authority issuer, String dn) {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        return new Authority(issue(new X500Principal(dn), keys.getPublic(), issuer.certificate().getSubjectX500Principal(), issuer.keys(),
                algorithmOf(issuer), serial(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1825)), true), keys);
    }

    /** An end-entity certificate for {@code subjectKey}, valid from a day ago for a year. */
    public static X509Certificate leaf(Authority issuer, String dn, PublicKey subjectKey) {
        Instant now = Instant.now();
        return leaf(issuer, dn, subjectKey, serial(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    public static X509Certificate leaf(Authority issuer, String dn, PublicKey subjectKey, BigInteger serial, Instant notBefore, Instant notAfter) {
        return issue(new X500Principal(dn), subjectKey, issuer.certificate().getSubjectX500Principal(), issuer.keys(), algorithmOf(issuer),
                serial, notBefore, notAfter, false);
    }

    /**
     * Any certificate: issuer name, the key that signs it and the algorithm (SHA256withRSA, SHA1withRSA, SHA256withECDSA…)
     * as given, whether or not that issuer exists (for serial-name tests).
     */
    public static X509Certificate certificate(String issuerDn, KeyPair issuerKeys, String algorithm, String subjectDn, PublicKey subjectKey,
                                              BigInteger serial, boolean ca) {
        Instant now = Instant.now();
        return issue(new X500Principal(subjectDn), subjectKey, new X500Principal(issuerDn), issuerKeys, algorithm, serial,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), ca);
    }

    public static String pem(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static String algorithmOf(Authority issuer) {
        return issuer.keys().getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }

    private static X509Certificate issue(X500Principal subject, PublicKey subjectKey, X500Principal issuer, KeyPair issuerKeys,
                                         String algorithm, BigInteger serial, Instant notBefore, Instant notAfter, boolean ca) {
        try {
            var builder = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
