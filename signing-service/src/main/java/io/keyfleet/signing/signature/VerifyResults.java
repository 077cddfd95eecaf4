package io.keyfleet.signing.signature;

import io.keyfleet.signing.api.SignatureApi.VerifyResult;

/** The results {@link Verification} gives, by what they say. */
final class VerifyResults {

    private VerifyResults() {
    }

    static VerifyResult ok(int keyVersion) {
        return new VerifyResult(true, keyVersion, null, null, null, null, null);
    }

    static VerifyResult invalid(Integer keyVersion, String reason, String detail) {
        return new VerifyResult(false, keyVersion, reason, detail, null, null, null);
    }

    /** A message the scheme refused before any signature check, with the provider's own code it carried. */
    static VerifyResult refused(String reason, String detail, String providerCode) {
        return new VerifyResult(false, null, reason, detail, providerCode, null, null);
    }

    /** alipay-rsa2-cert: the SN of the certificate that verified, or that the message named. */
    static VerifyResult ofCertificate(boolean valid, String certSn, String reason, String detail) {
        return new VerifyResult(valid, null, reason, detail, null, null, certSn);
    }

    static VerifyResult withKeyVersionLabel(VerifyResult result, String label) {
        return new VerifyResult(result.valid(), result.keyVersion(), result.reason(), result.detail(), result.providerCode(), label,
                result.certSn());
    }
}
