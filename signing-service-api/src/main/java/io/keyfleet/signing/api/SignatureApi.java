package io.keyfleet.signing.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Signing outgoing provider requests and verifying provider responses, notifications and requests: {@code POST /v1/sign},
 * {@code /v1/verify} and their batches (scopes {@code signing:sign}, {@code signing:verify}). {@code tenant} is the tenant a
 * calling service acts for ({@value SigningServiceApi#TENANT_HEADER}); a tenant's own credential may leave it null.
 * <p>
 * Sizes are bounded so that a huge message is a 4xx, not a memory problem: the HTTP body by keyfleet.http.max-body-bytes
 * (413 PAYLOAD_TOO_LARGE), a body or parameter value by {@link #MAX_TEXT} (400), and a message's body and parameters together
 * by keyfleet.signing.max-message-chars (413 MESSAGE_TOO_LARGE), which follows what the providers take (an Alipay
 * biz_content or an Antom body of several MiB). 400 UNKNOWN_SCHEME, MALFORMED or VALIDATION_FAILED for a request that
 * cannot be signed or checked as sent; 404 KEY_NOT_FOUND and 409 KEY_RETIRED when the app has no key that may sign; 503
 * KEY_SERVICE_UNAVAILABLE when the key is not cached and key-service cannot be asked.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = SigningServiceApi.CONFIG_KEY)
public interface SignatureApi {

    /** The most characters of one body or parameter value, whatever the configuration. */
    int MAX_TEXT = 16 * 1024 * 1024;

    /**
     * Which key: the caller's tenant's key of this app at this provider in this environment. For provider responses
     * and notifications the provider's public key of that environment verifies, and {@code appId} may be left out.
     */
    record KeyRef(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or dashes, e.g. alipay") String provider,
            @Size(min = 1, max = 64) String appId,
            @NotNull @Pattern(regexp = "(?i)sandbox|production", message = "must be SANDBOX or PRODUCTION") String environment) {
    }

    /**
     * The parts of the message; each scheme reads the ones it signs (see the schemes in signing-service's documentation).
     * The bounds here hold whatever the configuration; the message's own bound is keyfleet.signing.max-message-chars (413).
     */
    record Parts(
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
    }

    record SignRequest(@NotNull @Valid KeyRef key, @NotNull @Size(max = 32) String scheme, @NotNull @Valid Parts request) {
    }

    /** What to attach to the request, and which key version signed. */
    record SignResult(String scheme, String keyId, int keyVersion, Map<String, String> headers, Map<String, String> params) {
    }

    record VerifyRequest(@NotNull @Valid KeyRef key, @NotNull @Size(max = 32) String scheme, @NotNull MessageKind kind,
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
    record VerifyResult(boolean valid, Integer keyVersion, String reason, String detail, String providerCode,
                        @Schema(description = "antom: the keyVersion the Signature header named, as sent. A label: "
                                + "it picks no key, the provider key Keyfleet holds verifies") String keyVersionLabel,
                        @Schema(description = "alipay-rsa2-cert, responses and notifications: the SN of the provider "
                                + "certificate that verified, or that the response named") String certSn) {
    }

    record SignBatch(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid SignRequest> items) {
    }

    record VerifyBatch(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid VerifyRequest> items) {
    }

    /** One batch item's failure, as a problem's status, code and detail. */
    record ItemError(int status, String code, String detail) {
    }

    record SignBatchItem(SignResult result, ItemError error) {
    }

    record SignBatchResult(List<SignBatchItem> results) {
    }

    record VerifyBatchResult(List<VerifyResult> results) {
    }

    /** Signs a request's parts with the app's current key version; the result names what to attach. */
    @POST
    @Path("/sign")
    SignResult sign(@HeaderParam(SigningServiceApi.TENANT_HEADER) String tenant, @Valid @NotNull SignRequest request);

    /** Checks a message's signature: a result (valid or the reason it is not); a malformed message is a 400 MALFORMED. */
    @POST
    @Path("/verify")
    VerifyResult verify(@HeaderParam(SigningServiceApi.TENANT_HEADER) String tenant, @Valid @NotNull VerifyRequest request);

    /** One result per item, in order: the result or the item's error. */
    @POST
    @Path("/sign/batch")
    SignBatchResult signBatch(@HeaderParam(SigningServiceApi.TENANT_HEADER) String tenant, @Valid @NotNull SignBatch batch);

    /** One result per item, in order; a malformed item is reason MALFORMED. */
    @POST
    @Path("/verify/batch")
    VerifyBatchResult verifyBatch(@HeaderParam(SigningServiceApi.TENANT_HEADER) String tenant, @Valid @NotNull VerifyBatch batch);
}
