package io.keyfleet.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.kit.crypto.AlipayCertificates.CertificateProblem;
import io.keyfleet.testkit.TestCa;
import io.keyfleet.testkit.TestCa.Authority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading certificate PEM and the chain check of Alipay certificate mode (the SNs are checked against the SDK in signing-service). */
class AlipayCertificatesTest {

    private final Authority root = TestCa.root("CN=Root,O=Test,C=CN", "SHA256withRSA");
    private final Authority ca = TestCa.intermediate(root, "CN=CA,O=Test,C=CN");
    private final X509Certificate leaf = TestCa.leaf(ca, "CN=Leaf,O=Test,C=CN", TestCa.rsa().getPublic());

    @Test
    void pemIsCertificatesOnly() {
        assertThat(AlipayCertificates.parsePem("\r\n" + TestCa.pem(leaf, ca.certificate()).replace("\n", "\r\n"), "c")).hasSize(2);
        for (String garbage : new String[] {"", "  ", "hello", TestCa.pem(leaf) + "trailing", "x" + TestCa.pem(leaf),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----",
                "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[64]) + "\n-----END PRIVATE KEY-----",
                TestCa.pem(leaf).repeat(11), "x".repeat(AlipayCertificates.MAX_PEM_CHARS + 1)}) {
            assertThatThrownBy(() -> AlipayCertificates.parsePem(garbage, "c")).isInstanceOf(CertificateProblem.class)
                    .satisfies(e -> assertThat(((CertificateProblem) e).code).isEqualTo("CERT_MALFORMED"));
        }
    }

    @Test
    void chainsThroughIntermediatesToARootOfTheBundle() {
        Instant now = Instant.now();
        AlipayCertificates.requireChain(leaf, List.of(ca.certificate()), List.of(root.certificate()), now, "leaf");
        AlipayCertificates.requireChain(leaf, List.of(), List.of(ca.certificate(), root.certificate()), now, "leaf");
        AlipayCertificates.requireChain(root.certificate(), List.of(), List.of(root.certificate()), now, "root itself");

        assertCode("CERT_NOT_CHAINED", () -> AlipayCertificates.requireChain(leaf, List.of(), List.of(root.certificate()), now, "leaf"));
        Authority sameName = TestCa.root("CN=Root,O=Test,C=CN", "SHA256withRSA");
        assertCode("CERT_NOT_CHAINED", () -> AlipayCertificates.requireChain(leaf, List.of(ca.certificate()), List.of(sameName.certificate()),
                now, "leaf"));
        // a self-signed certificate outside the bundle is no root
        assertCode("CERT_NOT_CHAINED", () -> AlipayCertificates.requireChain(leaf, List.of(ca.certificate(), root.certificate()),
                List.of(sameName.certificate()), now, "leaf"));

        X509Certificate expired = TestCa.leaf(ca, "CN=Old", TestCa.rsa().getPublic(), TestCa.serial(), now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofSeconds(1)));
        assertCode("CERT_EXPIRED", () -> AlipayCertificates.requireChain(expired, List.of(ca.certificate()), List.of(root.certificate()), now, "old"));
        X509Certificate early = TestCa.leaf(ca, "CN=Early", TestCa.rsa().getPublic(), TestCa.serial(), now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)));
        assertCode("CERT_NOT_YET_VALID", () -> AlipayCertificates.requireChain(early, List.of(ca.certificate()), List.of(root.certificate()), now, "early"));
        // a leaf valid for longer than its intermediate (5 years): past the intermediate's end the chain is expired
        X509Certificate longLived = TestCa.leaf(ca, "CN=Long", TestCa.rsa().getPublic(), TestCa.serial(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3000)));
        AlipayCertificates.requireChain(longLived, List.of(ca.certificate()), List.of(root.certificate()), now.plus(Duration.ofDays(1800)), "long");
        assertThatThrownBy(() -> AlipayCertificates.requireChain(longLived, List.of(ca.certificate()), List.of(root.certificate()),
                now.plus(Duration.ofDays(2000)), "long")).isInstanceOf(CertificateProblem.class)
                .hasMessageContaining("issuer CN=CA").satisfies(e -> assertThat(((CertificateProblem) e).code).isEqualTo("CERT_EXPIRED"));
    }

    private static void assertCode(String code, Runnable check) {
        assertThatThrownBy(check::run).isInstanceOf(CertificateProblem.class)
                .satisfies(e -> assertThat(((CertificateProblem) e).code).isEqualTo(code));
    }
}
