package io.keyfleet.signing.signature;

import io.keyfleet.signing.scheme.MessageKind;
import io.keyfleet.signing.scheme.MessageParts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON of /v1/sign and /v1/verify. Sizes are bounded so that a huge message is a 4xx, not a memory problem: the
 * HTTP body by keyfleet.http.max-body-bytes (413 PAYLOAD_TOO_LARGE), a body or parameter value by {@link #MAX_TEXT}
 * (400), and a message's body and parameters together by keyfleet.signing.max-message-chars (413 MESSAGE_TOO_LARGE),
 * which follows what the providers take (an Alipay biz_content or an Antom body of several MiB).
 */
public final class SignatureApi {

    /** The most characters of one body or parameter value, whatever the configuration. */
    static final int MAX_TEXT = 16 * 1024 * 1024;

    private SignatureApi() {
    }

    /**
     * Which key: the caller's tenant's key of this app at this provider in this environment. For provider responses
     * and notifications the provider's public key of that environment verifies, and {@code appId} may be left out.
     */
    public record KeyRef(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or dashes, e.g. alipay") String provider,
            @Size(min = 1, max = 64) String appId,
            @NotNull @Pattern(regexp = "(?i)sandbox|production", message = "must be SANDBOX or PRODUCTION") String environment) {
    }

    /**
     * The parts of the message; see {@link MessageParts} for what each scheme reads. The bounds here hold whatever the
     * configuration; the message's own bound is keyfleet.signing.max-message-chars (413, {@link Signing#requireSize}).
     */
    public record Parts(
            @Size(max = 16) String method,
            @Size(max = 2048) String path,
            @Size(max = 8192) String query,
            @Size(max = MAX_TEXT) String body,
            @Size(max = 100) Map<@Size(max = 128) String, @Size(max = MAX_TEXT) String> params,
            @Size(max = 50) Map<@Size(max = 128) String, @Size(max = 8192) String> headers,
            @Size(max = 64) String appId,
            @Size(max = 128) String clientId,
            @Size(max = 128) String nonce,
            @Size(max = 64) String timestamp,
            @Size(max = 512) String appAuthToken,
            @Size(max = 128) String apiMethod,
            @Size(max = 128) String notificationId,
            @Pattern(regexp = "(?i)UTF-8|GBK|GB2312", message = "must be UTF-8, GBK or GB2312") String charset,
            @Pattern(regexp = "(?i)V1|V2|AUTO", message = "must be V1, V2 or AUTO") String notificationForm,
            @Schema(description = "antom, sign: the keyVersion to name in the Signature header (1-9 digits), a label of the "
                    + "caller's choosing that is not signed; the signing key version's number when absent")
            @Size(max = 16) String keyVersionLabel) {

        MessageParts toMessage(String defaultAppId) {
            return new MessageParts(method, path, query, body, params, headers, appId != null ? appId : defaultAppId, clientId,
                    nonce, timestamp, appAuthToken, apiMethod, notificationId, charset, notificationForm, keyVersionLabel);
        }

        /** The characters of the body and the parameters: what keyfleet.signing.max-message-chars bounds. */
        long chars() {
            long total = body == null ? 0 : body.length();
            if (params != null) {
                for (Map.Entry<String, String> e : params.entrySet()) {
                    total += (e.getKey() == null ? 0 : e.getKey().length()) + (e.getValue() == null ? 0 : e.getValue().length());
                }
            }
            return total;
        }
    }

    public record SignRequest(@NotNull @Valid KeyRef key, @NotNull @Size(max = 32) String scheme, @NotNull @Valid Parts request) {
    }

    /** What to attach to the request, and which key version signed. */
    public record SignResult(String scheme, String keyId, int keyVersion, Map<String, String> headers, Map<String, String> params) {
    }

    public record VerifyRequest(@NotNull @Valid KeyRef key, @NotNull @Size(max = 32) String scheme, @NotNull MessageKind kind,
                                @NotNull @Valid Parts message) {
    }

    /**
     * @param keyVersion      the Keyfleet key version whose key matched, or null
     * @param reason          null when valid; else BAD_SIGNATURE, KEY_RETIRED, STALE_TIMESTAMP, REPLAYED, MALFORMED,
     *                        (alipay-rsa2-cert) CERT_SN_MISSING, UNKNOWN_CERT_SN, CERT_EXPIRED, CERT_NOT_YET_VALID,
     *                        CERT_NOT_CHAINED
     *                        (batch items only: a single malformed message is a 400), or one the scheme refuses a
     *                        message with before checking a signature: DUPLICATE_RESPONSE_NODE, DUPLICATE_JSON_KEY,
     *                        UNSIGNED_ERROR_RESPONSE, UNSIGNED_RESPONSE (alipay-rsa2 responses)
     * @param providerCode    the provider's own error code the message carries (UNSIGNED_ERROR_RESPONSE: Alipay's
     *                        sub_code), else null
     * @param keyVersionLabel the provider's key label the message carried (Antom's keyVersion), as sent; reported only
     * @param certSn          alipay-rsa2-cert: the SN of the certificate that verified (responses: the alipay_cert_sn they
     *                        named), or null
     */
    public record VerifyResult(boolean valid, Integer keyVersion, String reason, String detail, String providerCode,
                               @Schema(description = "antom: the keyVersion the Signature header named, as sent. A label: "
                                       + "it picks no key, the provider key Keyfleet holds verifies") String keyVersionLabel,
                               @Schema(description = "alipay-rsa2-cert, responses and notifications: the SN of the provider "
                                       + "certificate that verified, or that the response named") String certSn) {
        public VerifyResult(boolean valid, Integer keyVersion, String reason, String detail) {
            this(valid, keyVersion, reason, detail, null, null, null);
        }

        public VerifyResult(boolean valid, Integer keyVersion, String reason, String detail, String providerCode, String keyVersionLabel) {
            this(valid, keyVersion, reason, detail, providerCode, keyVersionLabel, null);
        }

        static VerifyResult ofCertificate(boolean valid, String certSn, String reason, String detail) {
            return new VerifyResult(valid, null, reason, detail, null, null, certSn);
        }

        static VerifyResult ok(int keyVersion) {
            return new VerifyResult(true, keyVersion, null, null);
        }

        static VerifyResult invalid(Integer keyVersion, String reason, String detail) {
            return new VerifyResult(false, keyVersion, reason, detail);
        }

        VerifyResult withKeyVersionLabel(String label) {
            return new VerifyResult(valid, keyVersion, reason, detail, providerCode, label, certSn);
        }

        static VerifyResult refused(String reason, String detail, String providerCode) {
            return new VerifyResult(false, null, reason, detail, providerCode, null);
        }
    }

    public record SignBatch(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid SignRequest> items) {
    }

    public record VerifyBatch(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid VerifyRequest> items) {
    }

    /** One batch item's failure, as a problem's status, code and detail. */
    public record ItemError(int status, String code, String detail) {
    }

    public record SignBatchItem(SignResult result, ItemError error) {
    }

    public record SignBatchResult(List<SignBatchItem> results) {
    }

    public record VerifyBatchResult(List<VerifyResult> results) {
    }
}
