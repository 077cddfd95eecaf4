package io.keyfleet.keys.api;

import io.keyfleet.auth.VerificationCode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to "may this caller in?": a {@link VerificationCode} and a message a person can act on. credentialId,
 * tenantId, scopes and validUntil (when the credential or its secret stops working; null = no end) are set only when
 * valid.
 */
public record Verification(boolean valid, VerificationCode code, String message, UUID credentialId, String tenantId,
                           List<String> scopes, Instant validUntil) {

    public static Verification refused(VerificationCode code, String message) {
        return new Verification(false, code, message, null, null, null, null);
    }
}
