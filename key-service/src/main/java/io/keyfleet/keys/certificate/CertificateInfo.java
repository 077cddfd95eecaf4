package io.keyfleet.keys.certificate;

import io.keyfleet.kit.crypto.AlipayCertificates;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** What a certificate is, for reading: its Alipay SN, names, serial and validity. */
public record CertificateInfo(String certSn, String subject, String issuer, String serialNumber, Instant notBefore, Instant notAfter,
                              boolean ca) {

    static CertificateInfo of(X509Certificate c) {
        return new CertificateInfo(AlipayCertificates.certSn(c), c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getSerialNumber().toString(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), AlipayCertificates.isCa(c));
    }
}
