package io.keyfleet.keys.providerkey;

import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyState;
import io.keyfleet.keys.material.KeyMaterial;
import io.keyfleet.keys.support.KeysConfig;
import io.keyfleet.keys.support.TenantQuery;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Stores and replaces providers' public keys; a replaced one keeps verifying for its grace period. */
@ApplicationScoped
public class ProviderKeys {

    @Inject
    Tenants tenants;

    @Inject
    Outbox outbox;

    @Inject
    AuditLog auditLog;

    @Inject
    KeysConfig config;

    @Inject
    EntityManager entityManager;

    /** Sets the provider's public key, or replaces it with a new version. Setting the same key again changes nothing. */
    @Transactional
    public ProviderKey put(String tenantId, String provider, Environment environment, KeyMaterial material, Duration gracePeriod) {
        if (material.canSign()) {
            throw ProblemException.badRequest("KEY_WRONG_KIND", "Give the provider's PUBLIC key; a private key never belongs here.");
        }
        tenants.require(tenantId);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        ProviderKey key = ProviderKey.<ProviderKey>find("tenantId = ?1 and provider = ?2 and environment = ?3", tenantId, provider, environment)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (key == null) {
            key = new ProviderKey();
            key.id = UUID.randomUUID();
            key.tenantId = tenantId;
            key.provider = provider;
            key.environment = environment;
            key.currentVersion = 1;
            key.gracePeriodSeconds = (gracePeriod == null ? config.defaultGracePeriod() : gracePeriod).toSeconds();
            key.createdAt = now;
            key.updatedAt = now;
            key.persist();
            addVersion(key, 1, material, now);
            outbox.record(tenantId, new ProviderKeyUpdated(key.id.toString(), provider, environment.name(), 1,
                    material.fingerprint(), material.publicKeyBase64(), null, null));
            auditLog.record("provider-key.set", tenantId, key.id.toString(), "OK", provider + " " + environment);
            return key;
        }
        ProviderKeyVersion current = ProviderKeyVersion.findById(new ProviderKeyVersion.VersionId(key.id, key.currentVersion));
        if (current.fingerprint.equals(material.fingerprint())) {
            return key;
        }
        if (gracePeriod != null) {
            key.gracePeriodSeconds = gracePeriod.toSeconds();
        }
        Instant graceEnd = now.plusSeconds(key.gracePeriodSeconds);
        current.state = KeyState.PREVIOUS;
        current.validUntil = graceEnd;
        entityManager.flush(); // one CURRENT per key, also in the database
        int next = key.currentVersion + 1;
        addVersion(key, next, material, now);
        key.currentVersion = next;
        key.updatedAt = now;
        outbox.record(tenantId, new ProviderKeyUpdated(key.id.toString(), provider, environment.name(), next,
                material.fingerprint(), material.publicKeyBase64(), current.version, graceEnd));
        auditLog.record("provider-key.replace", tenantId, key.id.toString(), "OK", "version " + next);
        return key;
    }

    public ProviderKey require(String tenantId, UUID id) {
        ProviderKey key = ProviderKey.find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
        if (key == null) {
            throw ProblemException.notFound("PROVIDER_KEY_NOT_FOUND", "No provider key '" + id + "' exists for this tenant.");
        }
        return key;
    }

    public List<ProviderKey> list(String tenantId, String provider, Environment environment) {
        TenantQuery filter = TenantQuery.of(tenantId).whereEquals("provider", provider).whereEquals("environment", environment);
        return ProviderKey.list(filter.query() + " order by provider, environment", filter.parameters());
    }

    /** Ends the grace of replaced provider keys: they no longer verify. */
    @Scheduled(every = "${keyfleet.keys.lifecycle-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retireEndedGracePeriods() {
        QuarkusTransaction.requiringNew().run(() -> {
            // SKIP LOCKED: with several replicas each ended version is retired, and announced, once
            @SuppressWarnings("unchecked")
            List<Object[]> ended = entityManager.createNativeQuery("select provider_key_id, version from provider_key_version"
                    + " where state = 'PREVIOUS' and valid_until <= now() limit 100 for update skip locked").getResultList();
            for (Object[] row : ended) {
                ProviderKeyVersion version = ProviderKeyVersion.findById(
                        new ProviderKeyVersion.VersionId((UUID) row[0], ((Number) row[1]).intValue()));
                version.state = KeyState.RETIRED;
                ProviderKey key = ProviderKey.findById(version.providerKeyId);
                outbox.record(key.tenantId, new KeyRevoked(key.id.toString(), version.version, "grace period ended"));
            }
        });
    }

    private static void addVersion(ProviderKey key, int number, KeyMaterial material, Instant now) {
        ProviderKeyVersion version = new ProviderKeyVersion();
        version.providerKeyId = key.id;
        version.version = number;
        version.state = KeyState.CURRENT;
        version.algorithm = material.algorithm();
        version.fingerprint = material.fingerprint();
        version.publicKey = material.publicKeyBase64();
        version.createdAt = now;
        version.persist();
    }
}
