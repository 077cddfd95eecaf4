package io.keyfleet.keys.onetime;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.keys.onetime.ApplyPublicKeyResult.Code;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code applyPublicKey}: a fresh one-time RSA-2048 public key and salt for encrypting one password (see
 * {@link OneTimeKeys} for what the client encrypts and how).
 *
 * <p>This endpoint keeps the source's wire format, not problem+json: every answer, including bad input, is
 * HTTP 200 with {@code result.resultStatus} S, F or U. That is how the source (an Alipay AMS-style API) reports
 * business results — the status lives in {@code result}, and clients of that API branch on {@code resultStatus},
 * not on the HTTP status — so PARAM_ILLEGAL is a 200 with {@code F} as well. Only failures before this resource
 * runs (e.g. an oversized body refused by the HTTP filters) can answer otherwise.
 *
 * <p>The body is read as a string and parsed here, so malformed JSON also comes back as PARAM_ILLEGAL in this model.
 * An empty body is accepted as {@code {}} ({@code customerId} is optional); anything but a JSON object, or a
 * {@code customerId} that is not a string of at most 32 digits starting with {@code 21}, is PARAM_ILLEGAL.
 * Unknown fields are ignored.
 */
@Path("/ams/api/v1/customer/applyPublicKey")
@RequiresScope(Scopes.ONETIME_APPLY)
@Tag(name = "applyPublicKey", description = "One-time public key and salt for encrypting a password")
public class ApplyPublicKeyResource {

    private static final Logger LOG = Logger.getLogger(ApplyPublicKeyResource.class);
    static final Pattern CUSTOMER_ID = Pattern.compile("21[0-9]{0,30}");

    @Inject
    OneTimeKeys oneTimeKeys;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper objectMapper;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A one-time RSA public key and salt",
            description = "Encrypt salt + password (UTF-8) with RSA/ECB/OAEPWithSHA-256AndMGF1Padding; the key decrypts"
                    + " exactly one ciphertext and expires unused after keyfleet.onetime.lifetime.")
    public ApplyPublicKeyResult apply(String body) {
        String customerId;
        try {
            customerId = customerId(body);
        } catch (IllegalArgumentException e) {
            return ApplyPublicKeyResult.failure(Code.PARAM_ILLEGAL, e.getMessage());
        }
        // outside the try below: a malformed X-Keyfleet-Tenant header is the caller's mistake, answered like an
        // authentication failure (problem+json 400), not logged as an unexpected failure of this endpoint
        String tenantId = caller.tenantId();
        OneTimeKeys.Issued issued;
        try {
            issued = oneTimeKeys.issue(tenantId, customerId);
        } catch (io.keyfleet.keys.secret.SecretStoreException e) {
            LOG.error("applyPublicKey: the one-time key could not be stored", e);
            return ApplyPublicKeyResult.failure(Code.PROCESS_FAIL, null);
        } catch (RuntimeException e) {
            LOG.error("applyPublicKey failed unexpectedly", e);
            return ApplyPublicKeyResult.failure(Code.UNKNOWN_EXCEPTION, null);
        }
        return ApplyPublicKeyResult.success(new ApplyPublicKeyResult.PublicKeyInfo(issued.uniqueId(), issued.salt(), issued.publicKey()));
    }

    /** The validated customerId or null; IllegalArgumentException with a message for the caller. */
    String customerId(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode json;
        try {
            json = objectMapper.readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException("the request body is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the request body must be a JSON object");
        }
        JsonNode id = json.get("customerId");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() || !CUSTOMER_ID.matcher(id.textValue()).matches()) {
            throw new IllegalArgumentException("customerId must be a string of digits starting with 21 (at most 32)");
        }
        return id.textValue();
    }
}
