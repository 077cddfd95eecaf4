package io.keyfleet.keys.credential;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * How an integration's credential is doing, in words a person can act on before calls start failing: OK,
 * EXPIRING (within 30 days), IN_GRACE (rotated; the old secret still works until previousValidUntil), DISABLED,
 * EXPIRED or REVOKED.
 */
public record CredentialHealth(UUID credentialId, Status status, Instant expiresAt, Long daysLeft, Instant previousValidUntil,
                               String action) {

    public enum Status { OK, EXPIRING, IN_GRACE, DISABLED, EXPIRED, REVOKED }

    static final Duration WARN_AHEAD = Duration.ofDays(30);

    static CredentialHealth of(ApiCredential credential, Instant now) {
        Instant previousValidUntil = ApiCredentialSecret.of(credential.id).stream()
                .filter(secret -> secret.version != credential.currentVersion && secret.validUntil != null && secret.validUntil.isAfter(now))
                .map(secret -> secret.validUntil).max(Instant::compareTo).orElse(null);
        Long daysLeft = credential.expiresAt == null ? null : Math.max(0, Duration.between(now, credential.expiresAt).toDays());
        if (credential.isRevoked()) {
            return new CredentialHealth(credential.id, Status.REVOKED, credential.expiresAt, daysLeft, null,
                    "Revoked on " + day(credential.revokedAt) + "; create a new key under Credentials and update the integration.");
        }
        if (credential.expiresAt != null && !now.isBefore(credential.expiresAt)) {
            return new CredentialHealth(credential.id, Status.EXPIRED, credential.expiresAt, 0L, null,
                    "The key expired on " + day(credential.expiresAt) + "; create a new key under Credentials and update the integration.");
        }
        if (!credential.enabled) {
            return new CredentialHealth(credential.id, Status.DISABLED, credential.expiresAt, daysLeft, previousValidUntil,
                    "Disabled: every call with it is refused. Enable it under Credentials, or switch the integration to another key.");
        }
        if (credential.expiresAt != null && Duration.between(now, credential.expiresAt).compareTo(WARN_AHEAD) <= 0) {
            return new CredentialHealth(credential.id, Status.EXPIRING, credential.expiresAt, daysLeft, previousValidUntil,
                    "The key expires on " + day(credential.expiresAt) + " (" + daysLeft + " days); add a new key under Credentials "
                            + "and switch the integration to it before then.");
        }
        if (previousValidUntil != null) {
            return new CredentialHealth(credential.id, Status.IN_GRACE, credential.expiresAt, daysLeft, previousValidUntil,
                    "The secret was rotated; the previous one stops working on " + previousValidUntil
                            + ". Make sure every integration uses the new secret by then.");
        }
        return new CredentialHealth(credential.id, Status.OK, credential.expiresAt, daysLeft, null, "Nothing to do.");
    }

    static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
