package io.keyfleet.signing.signature;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.api.SignatureApi;
import io.keyfleet.signing.scheme.MalformedMessageException;
import io.keyfleet.signing.api.SignatureApi.ItemError;
import io.keyfleet.signing.api.SignatureApi.SignBatch;
import io.keyfleet.signing.api.SignatureApi.SignBatchItem;
import io.keyfleet.signing.api.SignatureApi.SignBatchResult;
import io.keyfleet.signing.api.SignatureApi.SignRequest;
import io.keyfleet.signing.api.SignatureApi.SignResult;
import io.keyfleet.signing.api.SignatureApi.VerifyBatch;
import io.keyfleet.signing.api.SignatureApi.VerifyBatchResult;
import io.keyfleet.signing.api.SignatureApi.VerifyRequest;
import io.keyfleet.signing.api.SignatureApi.VerifyResult;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * signing-service-api's {@link SignatureApi}: the paths, parameters and their constraints are the interface's; the tenant is
 * the caller's ({@link Caller}, which reads the tenant header for a system caller).
 */
@Tag(name = "Signatures", description = "Sign outgoing provider requests; verify provider responses and notifications")
public class SignatureResource implements SignatureApi {

    @Inject
    Caller caller;

    @Inject
    Signing signing;

    @Inject
    Verification verification;

    @Inject
    SigningConfig config;

    @Override
    @RequiresScope(Scopes.SIGNING_SIGN)
    @Operation(summary = "Sign a request", description = "Schemes: alipay-rsa2, alipay-rsa2-cert, alipay-v3, antom with the app's key pair; "
            + "keyfleet-hmac (the suite's own format, e.g. for outbound callbacks) with the app's HMAC_SHA256 secret (key-service: "
            + "POST /v1/app-secrets), whose id and version the answer names. Returns the headers and/or "
            + "parameters to attach, and the key version that signed. alipay-rsa2 signs the bytes in request.charset (UTF-8, GBK, "
            + "GB2312), else in the params' charset, else UTF-8. antom: request.keyVersionLabel is the keyVersion the Signature "
            + "header names (the signing key version's number when absent). A message whose body and params together pass "
            + "keyfleet.signing.max-message-chars (4 Mi characters, every scheme) is a 413 MESSAGE_TOO_LARGE. alipay-rsa2-cert "
            + "(Alipay public-key certificate mode) attaches and signs app_cert_sn and alipay_root_cert_sn from the certificates "
            + "imported in key-service (409 APP_CERTIFICATE_MISSING, CERT_EXPIRED, CERT_NOT_CHAINED; 404 PROVIDER_CERTIFICATE_NOT_FOUND).")
    public SignResult sign(String tenantHeader, SignRequest request) {
        return signing.sign(caller.tenantId(), request);
    }

    @Override
    @RequiresScope(Scopes.SIGNING_VERIFY)
    @Operation(summary = "Verify a response, notification or request", description = "valid, the key version and a reason: "
            + "keyfleet-hmac messages are checked with the app's HMAC secret (CURRENT, then PREVIOUS within grace); "
            + "BAD_SIGNATURE, KEY_RETIRED, STALE_TIMESTAMP or REPLAYED; for alipay-rsa2 responses also "
            + "DUPLICATE_RESPONSE_NODE, DUPLICATE_JSON_KEY, UNSIGNED_ERROR_RESPONSE (with Alipay's sub_code as providerCode) "
            + "or UNSIGNED_RESPONSE. The key's usable versions are tried; antom's keyVersion is the provider's label, reported as "
            + "keyVersionLabel and never required. alipay-rsa2 takes message.charset (UTF-8, GBK, GB2312; else the params' "
            + "charset, else UTF-8) and message.notificationForm (V1: without sign_type, V2: with it, AUTO: V1 then V2, the "
            + "default). alipay-rsa2-cert checks a response with the provider certificate its alipay_cert_sn names (certSn in the "
            + "result): CERT_SN_MISSING, UNKNOWN_CERT_SN, CERT_EXPIRED, CERT_NOT_YET_VALID or CERT_NOT_CHAINED when it cannot. "
            + "A malformed message is a 400 MALFORMED; one too large a 413.")
    public VerifyResult verify(String tenantHeader, VerifyRequest request) {
        try {
            return verification.verify(caller.tenantId(), request);
        } catch (MalformedMessageException e) {
            throw ProblemException.badRequest("MALFORMED", e.getMessage());
        }
    }

    @Override
    @RequiresScope(Scopes.SIGNING_SIGN)
    @Operation(summary = "Sign many requests", description = "One result per item, in order: the result or the item's error.")
    public SignBatchResult signBatch(String tenantHeader, SignBatch batch) {
        String tenantId = caller.tenantId();
        requireBatchSize(batch.items().size());
        List<SignBatchItem> results = new ArrayList<>(batch.items().size());
        for (SignRequest item : batch.items()) {
            try {
                results.add(new SignBatchItem(signing.sign(tenantId, item), null));
            } catch (ProblemException e) {
                results.add(new SignBatchItem(null, new ItemError(e.problem().status(), e.problem().code(), e.problem().detail())));
            }
        }
        return new SignBatchResult(results);
    }

    @Override
    @RequiresScope(Scopes.SIGNING_VERIFY)
    @Operation(summary = "Verify many messages", description = "One result per item, in order; a malformed item is reason MALFORMED.")
    public VerifyBatchResult verifyBatch(String tenantHeader, VerifyBatch batch) {
        String tenantId = caller.tenantId();
        requireBatchSize(batch.items().size());
        List<VerifyResult> results = new ArrayList<>(batch.items().size());
        for (VerifyRequest item : batch.items()) {
            try {
                results.add(verification.verify(tenantId, item));
            } catch (MalformedMessageException e) {
                results.add(VerifyResults.invalid(null, "MALFORMED", e.getMessage()));
            } catch (ProblemException e) {
                results.add(VerifyResults.invalid(null, e.problem().code(), e.problem().detail()));
            }
        }
        return new VerifyBatchResult(results);
    }

    private void requireBatchSize(int size) {
        if (size > config.maxBatch()) {
            throw ProblemException.badRequest("BATCH_TOO_LARGE", "At most " + config.maxBatch() + " items per batch, not " + size + ".");
        }
    }
}
