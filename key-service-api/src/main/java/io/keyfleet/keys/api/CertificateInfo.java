package io.keyfleet.keys.api;

import java.time.Instant;

/** What a certificate is, for reading: its Alipay SN, names, serial and validity. */
public record CertificateInfo(String certSn, String subject, String issuer, String serialNumber, Instant notBefore, Instant notAfter,
                              boolean ca) {
}
