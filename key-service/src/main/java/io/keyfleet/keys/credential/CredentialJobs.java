package io.keyfleet.keys.credential;

import io.keyfleet.events.CredentialExpiring;
import io.keyfleet.kit.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Forgets nonces older than the signature window, destroys SecretKeys an hour after their grace period ended, and announces
 * credentials that expire within 30 and within 7 days (CredentialExpiring, once each).
 */
@ApplicationScoped
public class CredentialJobs {

    @Inject
    EntityManager entityManager;

    @Inject
    Credentials credentials;

    @Inject
    CredentialsConfig config;

    @Inject
    Outbox outbox;

    // the nearer first: a credential created 5 days before its expiry gets the 7-day warning only
    private static final int[] WARNINGS = {7, 30};

    @Scheduled(every = "${keyfleet.credentials.jobs-interval:60s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        forgetOldNonces();
        destroyEndedSecrets();
        announceExpiring();
    }

    /** SKIP LOCKED: with several replicas each warning is published once. */
    void announceExpiring() {
        Instant now = Instant.now();
        for (int daysAhead : WARNINGS) {
            QuarkusTransaction.requiringNew().run(() -> {
                @SuppressWarnings("unchecked")
                List<java.util.UUID> due = entityManager.createNativeQuery("select id from api_credential where revoked_at is null"
                                + " and expires_at is not null and expires_at > ?1 and expires_at <= ?2"
                                + " and (expiry_warned_days is null or expiry_warned_days > ?3) limit 500 for update skip locked")
                        .setParameter(1, now).setParameter(2, now.plus(java.time.Duration.ofDays(daysAhead))).setParameter(3, daysAhead)
                        .getResultList();
                for (java.util.UUID id : due) {
                    ApiCredential credential = ApiCredential.findById(id);
                    credential.expiryWarnedDays = daysAhead;
                    outbox.record(credential.tenantId, new CredentialExpiring(credential.id.toString(), credential.currentVersion,
                            credential.expiresAt, daysAhead, CredentialHealth.of(credential, now).action()));
                }
            });
        }
    }

    void forgetOldNonces() {
        // kept for twice the window: a timestamp may be up to one window in the future as well as in the past
        Instant before = Instant.now().minus(config.signatureWindow().multipliedBy(2));
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("delete from api_credential_nonce where seen_at < ?1")
                .setParameter(1, before).executeUpdate());
    }

    void destroyEndedSecrets() {
        QuarkusTransaction.requiringNew().run(() -> {
            // kept a little past the grace, only so that a late caller hears "grace period ended" instead of "bad signature"
            Instant before = Instant.now().minus(config.endedSecretRetention());
            List<ApiCredentialSecret> ended = ApiCredentialSecret.list("secretRef is not null and validUntil <= ?1", before);
            for (ApiCredentialSecret secret : ended) {
                credentials.destroySecret(secret);
            }
        });
    }
}
