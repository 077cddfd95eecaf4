package io.keyfleet.sandbox.cert;

import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.sandbox.gateway.PlatformKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The sandbox's certificate authority for Alipay public-key certificate mode, made on first start and kept in
 * {@code sandbox_ca} (concurrent first starts agree on one: insert if absent, then read). The root bundle is an RSA root
 * and an EC root, as Alipay's alipayRootCert.crt holds roots of several algorithms; an intermediate CA issues the
 * platform's public-key certificate (of {@link PlatformKey}, so the platform key signs certificate-mode answers) and one
 * per certificate-mode app (of the app's public key). Certificates are served as PEM with the intermediate after the
 * end-entity certificate, as Alipay's downloads are.
 */
@Startup
@ApplicationScoped
public class SandboxCa {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ROOT_DN = "CN=Keyfleet Sandbox Root Class 2,OU=Certification Authority,O=Keyfleet Sandbox,C=CN";
    private static final String EC_ROOT_DN = "CN=Keyfleet Sandbox Root Class 2 EC,OU=Certification Authority,O=Keyfleet Sandbox,C=CN";
    private static final String CA_DN = "CN=Keyfleet Sandbox Public Key CA Class 2,OU=Certification Authority,O=Keyfleet Sandbox,C=CN";
    private static final String PLATFORM_DN = "CN=Keyfleet Sandbox Platform,OU=Alipay,O=Keyfleet Sandbox,C=CN";

    @Inject
    DataSource dataSource;

    @Inject
    PlatformKey platformKey;

    private X509Certificate root;
    private X509Certificate ecRoot;
    private X509Certificate ca;
    private PrivateKey caKey;
    private X509Certificate platform;

    @PostConstruct
    void load() {
        QuarkusTransaction.requiringNew().run(this::loadOrCreate);
    }

    /** An app's public-key certificate for its public key, valid from now for a year. */
    public X509Certificate issueApp(String appId, PublicKey appKey) {
        Instant now = Instant.now();
        return issue(ca.getSubjectX500Principal(), caKey, "SHA256withRSA", new X500Principal("CN=" + appId + ",OU=Alipay,O=Keyfleet Sandbox App,C=CN"),
                appKey, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)), false);
    }

    /** The app's certificate and the intermediate: what the app imports as its appCertPublicKey_<appId>.crt. */
    public String appCertificatePem(X509Certificate appCertificate) {
        return pem(appCertificate, ca);
    }

    /** The platform's certificate and the intermediate: alipayCertPublicKey_RSA2.crt. */
    public String platformCertificatePem() {
        return pem(platform, ca);
    }

    /** The root bundle: alipayRootCert.crt. */
    public String rootBundlePem() {
        return pem(root, ecRoot);
    }

    public String platformCertSn() {
        return AlipayCertificates.certSn(platform);
    }

    /** alipay_root_cert_sn as the SDK computes it from {@link #rootBundlePem()}: the RSA root's SN only. */
    public String rootCertSn() {
        return AlipayCertificates.rootCertSn(List.of(root, ecRoot));
    }

    /** A client's alipay_root_cert_sn is good when it names this sandbox's RSA root among the roots of its bundle. */
    public boolean rootCertSnAccepted(String value) {
        return value != null && Arrays.asList(value.split("_")).contains(AlipayCertificates.certSn(root));
    }

    public static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException("not an X.509 certificate", e);
        }
    }

    private void loadOrCreate() {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("select 1 from sandbox_ca where id = 1");
                 ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    create(connection);
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "select root_cert, ec_root_cert, ca_key, ca_cert, platform_cert from sandbox_ca where id = 1");
                 ResultSet row = select.executeQuery()) {
                row.next();
                root = certificate(row.getBytes(1));
                ecRoot = certificate(row.getBytes(2));
                caKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(row.getBytes(3)));
                ca = certificate(row.getBytes(4));
                platform = certificate(row.getBytes(5));
            }
            if (!Arrays.equals(platform.getPublicKey().getEncoded(), platformKey.publicKey().getEncoded())) {
                // the platform key was configured anew: its certificate follows it
                platform = platformCertificate();
                try (PreparedStatement update = connection.prepareStatement("update sandbox_ca set platform_cert = ? where id = 1")) {
                    update.setBytes(1, platform.getEncoded());
                    update.executeUpdate();
                }
            }
        } catch (SQLException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read or store the sandbox CA", e);
        }
    }

    private void create(Connection connection) throws SQLException, java.security.GeneralSecurityException {
        Instant now = Instant.now();
        KeyPair rootKeys = rsa();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecKeys = ecGenerator.generateKeyPair();
        KeyPair caKeys = rsa();
        X509Certificate rootCert = issue(new X500Principal(ROOT_DN), rootKeys.getPrivate(), "SHA256withRSA", new X500Principal(ROOT_DN),
                rootKeys.getPublic(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true);
        X509Certificate ecRootCert = issue(new X500Principal(EC_ROOT_DN), ecKeys.getPrivate(), "SHA256withECDSA",
                new X500Principal(EC_ROOT_DN), ecKeys.getPublic(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true);
        X509Certificate caCert = issue(rootCert.getSubjectX500Principal(), rootKeys.getPrivate(), "SHA256withRSA", new X500Principal(CA_DN),
                caKeys.getPublic(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1825)), true);
        this.ca = caCert;
        this.caKey = caKeys.getPrivate();
        X509Certificate platformCert = platformCertificate();
        try (PreparedStatement insert = connection.prepareStatement("insert into sandbox_ca (id, root_key, root_cert, ec_root_key, ec_root_cert,"
                + " ca_key, ca_cert, platform_cert, created_at) values (1, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            insert.setBytes(1, rootKeys.getPrivate().getEncoded());
            insert.setBytes(2, rootCert.getEncoded());
            insert.setBytes(3, ecKeys.getPrivate().getEncoded());
            insert.setBytes(4, ecRootCert.getEncoded());
            insert.setBytes(5, caKeys.getPrivate().getEncoded());
            insert.setBytes(6, caCert.getEncoded());
            insert.setBytes(7, platformCert.getEncoded());
            insert.setTimestamp(8, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    private X509Certificate platformCertificate() {
        Instant now = Instant.now();
        return issue(ca.getSubjectX500Principal(), caKey, "SHA256withRSA", new X500Principal(PLATFORM_DN), platformKey.publicKey(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1825)), false);
    }

    private static KeyPair rsa() throws java.security.GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate issue(X500Principal issuer, PrivateKey issuerKey, String algorithm, X500Principal subject, PublicKey subjectKey,
                                         Instant notBefore, Instant notAfter, boolean isCa) {
        try {
            var builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE), Date.from(notBefore),
                    Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate", e);
        }
    }

    private static String pem(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                out.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
