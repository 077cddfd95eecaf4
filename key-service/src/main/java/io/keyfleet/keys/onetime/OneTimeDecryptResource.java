package io.keyfleet.keys.onetime;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Decrypts the one ciphertext of a one-time key, for the tenant that applied for the key (scope onetime:decrypt). See
 * {@link OneTimeKeys} for padding and salt binding. Refusals are problem+json: 404 {@code ONE_TIME_KEY_NOT_FOUND},
 * 409 {@code ONE_TIME_KEY_USED} (decrypted before, or burnt by a failed decrypt), 410 {@code ONE_TIME_KEY_EXPIRED},
 * 400 {@code DECRYPT_FAILED} (wrong salt or ciphertext; the key is burnt too), 400 {@code INVALID_REQUEST} (missing
 * fields or ciphertext not base64; the key is left alone).
 */
@Path("/internal/v1/onetime/decrypt")
@RequiresScope(Scopes.ONETIME_DECRYPT)
@Tag(name = "Internal: one-time keys", description = "For Keyfleet's own services only")
public class OneTimeDecryptResource {

    public record DecryptRequest(String uniqueId, String ciphertext) {
    }

    /** Deliberately no toString of the password. */
    public record DecryptResponse(String password) {
        @Override
        public String toString() {
            return "DecryptResponse[password=<redacted>]";
        }
    }

    @Inject
    Caller caller;

    @Inject
    OneTimeKeys oneTimeKeys;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decrypt the one ciphertext of a one-time key", description = "Exactly once; the private key is destroyed afterwards.")
    public DecryptResponse decrypt(DecryptRequest request) {
        if (request == null || request.uniqueId() == null || request.uniqueId().isBlank()
                || request.ciphertext() == null || request.ciphertext().isBlank()) {
            throw ProblemException.badRequest("INVALID_REQUEST", "Send {\"uniqueId\": ..., \"ciphertext\": base64}.");
        }
        if (request.uniqueId().length() > 64) {
            throw ProblemException.notFound("ONE_TIME_KEY_NOT_FOUND", "No such one-time key; apply for a public key first.");
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(request.ciphertext().strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("INVALID_REQUEST", "ciphertext must be base64.");
        }
        OneTimeKeys.Outcome outcome = oneTimeKeys.decrypt(caller.tenantId(), request.uniqueId(), ciphertext);
        if (outcome.refusal() == null) {
            char[] password = outcome.password();
            try {
                return new DecryptResponse(new String(password));
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        throw switch (outcome.refusal()) {
            case NOT_FOUND -> ProblemException.notFound("ONE_TIME_KEY_NOT_FOUND", outcome.detail());
            case USED -> new ProblemException(409, "ONE_TIME_KEY_USED", "One-time key used", outcome.detail());
            case EXPIRED -> new ProblemException(410, "ONE_TIME_KEY_EXPIRED", "One-time key expired", outcome.detail());
            case DECRYPT_FAILED -> ProblemException.badRequest("DECRYPT_FAILED", outcome.detail());
        };
    }
}
