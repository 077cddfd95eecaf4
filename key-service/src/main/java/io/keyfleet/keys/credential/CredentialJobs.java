package io.keyfleet.keys.credential;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** Forgets nonces older than the signature window and destroys SecretKeys whose grace period has ended. */
@ApplicationScoped
public class CredentialJobs {

    @Inject
    EntityManager entityManager;

    @Inject
    Credentials credentials;

    @Inject
    CredentialsConfig config;

    @Scheduled(every = "60s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        forgetOldNonces();
        destroyEndedSecrets();
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
            List<ApiCredentialSecret> ended = ApiCredentialSecret.list("secretRef is not null and validUntil <= ?1", Instant.now());
            for (ApiCredentialSecret secret : ended) {
                credentials.destroySecret(secret);
            }
        });
    }
}
