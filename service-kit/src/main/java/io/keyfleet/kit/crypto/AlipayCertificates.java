package io.keyfleet.kit.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alipay's public-key certificate mode: reading the certificates, their serial names ({@code app_cert_sn},
 * {@code alipay_cert_sn}, {@code alipay_root_cert_sn}) exactly as alipay-sdk-java 4.40.734 computes them
 * ({@code AntCertificationUtil.getCertSN} and {@code getRootCertSN}), and whether a certificate chains to a root.
 *
 * <ul>
 *   <li>A certificate's SN: MD5 of {@code issuer.getName() + serialNumber} (the issuer in RFC 2253 form, the serial
 *       in decimal), as lower-case hex without leading zeros, then left-padded with {@code 0} to 32 characters. The
 *       SDK takes the string's bytes in the JVM's default charset; we take UTF-8 (the same for every ASCII DN, which
 *       Alipay's are).</li>
 *   <li>The root SN: the SNs of the root bundle's certificates whose signature algorithm OID starts with
 *       {@code 1.2.840.113549.1.1} (RSA: sha1WithRSA, sha256WithRSA, …), in file order, joined with {@code _}; the
 *       bundle's other certificates (ECDSA, SM2) are left out.</li>
 * </ul>
 */
public final class AlipayCertificates {

    /** The most characters of one PEM text (a bundle of a few certificates is a few KiB). */
    public static final int MAX_PEM_CHARS = 65536;
    /** The most certificates in one PEM text. */
    public static final int MAX_CERTIFICATES = 10;
    private static final int MAX_DEPTH = 10;
    private static final String RSA_SIGNATURE_OID_PREFIX = "1.2.840.113549.1.1";
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** Why certificates were refused; {@code code} is stable (CERT_MALFORMED, CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_NOT_CHAINED). */
    public static final class CertificateProblem extends RuntimeException {
        public final String code;

        public CertificateProblem(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private AlipayCertificates() {
    }

    /** The X.509 certificates of a PEM text, in order; anything else in it (other blocks, garbage) is refused. */
    public static List<X509Certificate> parsePem(String pem, String field) {
        if (pem == null || pem.isBlank()) {
            throw new CertificateProblem("CERT_MALFORMED", field + " is empty: give the certificate(s) as PEM "
                    + "(-----BEGIN CERTIFICATE----- …).");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new CertificateProblem("CERT_MALFORMED", field + " has " + pem.length() + " characters; at most "
                    + MAX_PEM_CHARS + ".");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        int end = 0;
        CertificateFactory factory = factory();
        while (m.find()) {
            if (!pem.substring(end, m.start()).isBlank()) {
                throw new CertificateProblem("CERT_MALFORMED", field + " has text outside its PEM blocks.");
            }
            end = m.end();
            if (!m.group(1).equals("CERTIFICATE") && !m.group(1).equals("X509 CERTIFICATE")) {
                throw new CertificateProblem("CERT_MALFORMED", field + " has a '" + m.group(1) + "' block; only certificates"
                        + " belong here (never a private key).");
            }
            if (certificates.size() == MAX_CERTIFICATES) {
                throw new CertificateProblem("CERT_MALFORMED", field + " has more than " + MAX_CERTIFICATES + " certificates.");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new CertificateProblem("CERT_MALFORMED", field + " has a certificate whose base64 is broken.");
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | RuntimeException e) {
                throw new CertificateProblem("CERT_MALFORMED", field + " has a block that is not an X.509 certificate.");
            }
        }
        if (!pem.substring(end).isBlank()) {
            throw new CertificateProblem("CERT_MALFORMED", field + " is not PEM: expected -----BEGIN CERTIFICATE----- blocks.");
        }
        if (certificates.isEmpty()) {
            throw new CertificateProblem("CERT_MALFORMED", field + " has no certificate.");
        }
        return certificates;
    }

    /** The SDK's {@code getCertSN}: what {@code app_cert_sn} and {@code alipay_cert_sn} name. */
    public static String certSn(X509Certificate certificate) {
        String text = certificate.getIssuerX500Principal().getName() + certificate.getSerialNumber();
        String hex = new BigInteger(1, md5(text.getBytes(StandardCharsets.UTF_8))).toString(16);
        return "0".repeat(Math.max(0, 32 - hex.length())) + hex;
    }

    /** The SDK's {@code getRootCertSN}: what {@code alipay_root_cert_sn} names; empty when no certificate is RSA-signed. */
    public static String rootCertSn(List<X509Certificate> rootBundle) {
        StringBuilder sn = new StringBuilder();
        for (X509Certificate certificate : rootBundle) {
            if (certificate.getSigAlgOID().startsWith(RSA_SIGNATURE_OID_PREFIX)) {
                if (!sn.isEmpty()) {
                    sn.append('_');
                }
                sn.append(certSn(certificate));
            }
        }
        return sn.toString();
    }

    public static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    public static boolean selfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /**
     * Checks that {@code leaf} is valid at {@code at} and chains, through {@code intermediates} (and CA certificates
     * of the bundle), to a self-signed certificate of {@code rootBundle}, every certificate on the way valid at
     * {@code at} and each signature checked. Throws CERT_EXPIRED, CERT_NOT_YET_VALID or CERT_NOT_CHAINED.
     */
    public static void requireChain(X509Certificate leaf, List<X509Certificate> intermediates, List<X509Certificate> rootBundle,
                                    Instant at, String what) {
        requireValid(leaf, at, what);
        List<X509Certificate> issuers = new ArrayList<>(intermediates);
        issuers.addAll(rootBundle);
        X509Certificate current = leaf;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (selfSigned(current)) {
                if (inBundle(current, rootBundle) && signedBy(current, current)) {
                    return;
                }
                break;
            }
            X509Certificate issuer = null;
            for (X509Certificate candidate : issuers) {
                if (candidate != current && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && signedBy(current, candidate)) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            requireValid(issuer, at, what + "'s issuer " + issuer.getSubjectX500Principal().getName());
            current = issuer;
        }
        throw new CertificateProblem("CERT_NOT_CHAINED", what + " (" + leaf.getSubjectX500Principal().getName()
                + ") does not chain to a certificate of the root bundle.");
    }

    private static void requireValid(X509Certificate certificate, Instant at, String what) {
        Date when = Date.from(at);
        if (when.after(certificate.getNotAfter())) {
            throw new CertificateProblem("CERT_EXPIRED", what + " expired at " + certificate.getNotAfter().toInstant() + ".");
        }
        if (when.before(certificate.getNotBefore())) {
            throw new CertificateProblem("CERT_NOT_YET_VALID", what + " is valid only from "
                    + certificate.getNotBefore().toInstant() + ".");
        }
    }

    private static boolean inBundle(X509Certificate certificate, List<X509Certificate> bundle) {
        for (X509Certificate root : bundle) {
            if (root.equals(certificate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
