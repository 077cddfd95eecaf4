package io.keyfleet.keys.keypair;

import io.keyfleet.keys.api.KeyState;

import io.keyfleet.keys.api.Environment;

import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.keys.material.KeyAlgorithm;
import io.keyfleet.keys.material.KeyMaterial;
import io.keyfleet.keys.material.KeyPairFactory;
import io.keyfleet.keys.secret.SecretStore;
import io.keyfleet.keys.support.KeysConfig;
import io.keyfleet.keys.support.TenantQuery;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.security.SecureRandom;

/**
 * The lifecycle of app key pairs. Every change locks the key row (without waiting: a concurrent change gets 409),
 * keeps exactly one CURRENT version, and records its event in the outbox in the same transaction.
 * Private keys go to the secret store; only their reference is kept here.
 */
@ApplicationScoped
public class AppKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Tenants tenants;

    @Inject
    Outbox outbox;

    @Inject
    AuditLog auditLog;

    @Inject
    KeysConfig config;

    @Inject
    KeyPairFactory keyPairFactory;

    @Inject
    SecretStore secretStore;

    @Inject
    EntityManager entityManager;

    /** A version just made; {@code material} holds the private key only when it was generated here. */
    public record NewVersion(AppKey key, AppKeyVersion version, KeyMaterial material) {
    }

    public record PageOf<T>(List<T> items, int page, int size, long total) {
    }

    @Transactional
    public NewVersion generate(String tenantId, KeyScope scope, KeyAlgorithm algorithm, KeyPolicy policy) {
        KeyMaterial material = keyPairFactory.generate(algorithm);
        return create(tenantId, scope, material, KeyOrigin.GENERATED, policy);
    }

    /** Bring your own: a full pair (can sign) or a public key alone (can only verify). */
    @Transactional
    public NewVersion importKey(String tenantId, KeyScope scope, KeyMaterial material, KeyPolicy policy) {
        return create(tenantId, scope, material, material.canSign() ? KeyOrigin.IMPORTED_PAIR : KeyOrigin.IMPORTED_PUBLIC_KEY, policy);
    }

    private NewVersion create(String tenantId, KeyScope scope, KeyMaterial material, KeyOrigin origin, KeyPolicy policy) {
        tenants.require(tenantId);
        if (AppKey.count("tenantId = ?1 and provider = ?2 and appId = ?3 and environment = ?4",
                tenantId, scope.provider(), scope.appId(), scope.environment()) > 0) {
            throw ProblemException.conflict("KEY_EXISTS", "App '" + scope.appId() + "' already has a " + scope.environment()
                    + " key for provider '" + scope.provider() + "'; rotate it or stage a new version instead.");
        }
        refuseSharingAcrossEnvironments(tenantId, scope.environment(), material);
        Instant now = now();
        AppKey key = new AppKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.provider = scope.provider();
        key.appId = scope.appId();
        key.environment = scope.environment();
        key.algorithm = material.algorithm();
        key.origin = origin;
        key.currentVersion = 1;
        applyPolicy(key, policy);
        key.createdAt = now;
        key.updatedAt = now;
        key.persist();

        AppKeyVersion version = addVersion(key, 1, material, KeyState.CURRENT, now);
        version.promotedAt = now;
        outbox.record(tenantId, new KeyCreated(key.id.toString(), key.provider, key.appId, key.environment.name(), 1,
                material.algorithm().name(), material.fingerprint(), material.publicKeyBase64(), material.canSign()));
        auditLog.record("key.create", tenantId, key.id.toString(), "OK", origin.name() + " " + material.algorithm().name());
        return new NewVersion(key, version, material);
    }

    /** One-click replace: a new generated version, CURRENT at once; the old one stays PREVIOUS for the grace period. */
    @Transactional
    public NewVersion rotate(String tenantId, UUID keyId, Optional<KeyAlgorithm> algorithm) {
        AppKey key = lockForChange(tenantId, keyId);
        refusePendingVersion(key);
        KeyMaterial material = keyPairFactory.generate(algorithm.orElse(key.algorithm));
        AppKeyVersion version = addVersion(key, nextVersion(key), material, KeyState.PENDING, now());
        promote(key, version);
        return new NewVersion(key, version, material);
    }

    /** Staged replace, step 1: a PENDING version to set up at the provider; it never signs until promoted. */
    @Transactional
    public NewVersion stage(String tenantId, UUID keyId, Optional<KeyMaterial> imported, Optional<KeyAlgorithm> algorithm) {
        AppKey key = lockForChange(tenantId, keyId);
        refusePendingVersion(key);
        KeyMaterial material = imported.orElseGet(() -> keyPairFactory.generate(algorithm.orElse(key.algorithm)));
        refuseSharingAcrossEnvironments(tenantId, key.environment, material);
        AppKeyVersion version = addVersion(key, nextVersion(key), material, KeyState.PENDING, now());
        key.updatedAt = now();
        auditLog.record("key.stage", tenantId, key.id.toString(), "OK", "version " + version.version);
        return new NewVersion(key, version, material);
    }

    /** Staged replace, step 2: the PENDING version becomes CURRENT; the old CURRENT stays PREVIOUS for the grace period. */
    @Transactional
    public AppKey promote(String tenantId, UUID keyId, int versionNumber) {
        AppKey key = lockForChange(tenantId, keyId);
        AppKeyVersion version = requireVersion(key, versionNumber);
        if (version.state != KeyState.PENDING) {
            throw ProblemException.conflict("VERSION_NOT_PENDING",
                    "Version " + versionNumber + " is " + version.state + "; only a PENDING version can be promoted.");
        }
        promote(key, version);
        return key;
    }

    private void promote(AppKey key, AppKeyVersion pending) {
        Instant now = now();
        AppKeyVersion current = AppKeyVersion.find(key.id, key.currentVersion);
        Instant graceEnd = now.plus(key.gracePeriod());
        current.state = KeyState.PREVIOUS;
        current.validUntil = graceEnd;
        entityManager.flush(); // the old CURRENT must be PREVIOUS before another row may be CURRENT
        pending.state = KeyState.CURRENT;
        pending.promotedAt = now;
        key.currentVersion = pending.version;
        key.algorithm = pending.algorithm;
        key.updatedAt = now;
        outbox.record(key.tenantId, new KeyRotated(key.id.toString(), key.provider, key.appId, key.environment.name(),
                current.version, pending.version, pending.algorithm.name(), pending.fingerprint, pending.publicKey, graceEnd));
        auditLog.record("key.rotate", key.tenantId, key.id.toString(), "OK", "version " + pending.version + " current");
    }

    /** Ends one PENDING or PREVIOUS version now. The CURRENT version can only go by rotating or revoking the key. */
    @Transactional
    public AppKey revokeVersion(String tenantId, UUID keyId, int versionNumber, String reason) {
        AppKey key = lockForChange(tenantId, keyId);
        AppKeyVersion version = requireVersion(key, versionNumber);
        switch (version.state) {
            case CURRENT -> throw ProblemException.conflict("VERSION_IS_CURRENT",
                    "Version " + versionNumber + " is the CURRENT version; rotate the key first, or revoke the whole key.");
            case RETIRED -> {
                return key;
            }
            default -> retire(key, version, reason);
        }
        return key;
    }

    /** Revokes the whole key at once: every version is retired and the key can no longer change. */
    @Transactional
    public AppKey revokeKey(String tenantId, UUID keyId, String reason) {
        AppKey key = lockForChange(tenantId, keyId);
        Instant now = now();
        for (AppKeyVersion version : AppKeyVersion.of(key.id)) {
            if (version.state != KeyState.RETIRED) {
                retireQuietly(version, now);
            }
        }
        key.revokedAt = now;
        key.updatedAt = now;
        outbox.record(tenantId, new KeyRevoked(key.id.toString(), KeyRevoked.ALL_VERSIONS, reason));
        auditLog.record("key.revoke", tenantId, key.id.toString(), "OK", "all versions");
        return key;
    }

    @Transactional
    public AppKey updatePolicy(String tenantId, UUID keyId, KeyPolicy policy) {
        AppKey key = lockForChange(tenantId, keyId);
        applyPolicy(key, policy);
        key.updatedAt = now();
        auditLog.record("key.policy", tenantId, key.id.toString(), "OK", null);
        return key;
    }

    /** Retires a PREVIOUS version whose grace has ended; called by the lifecycle job. */
    void retire(AppKey key, AppKeyVersion version, String reason) {
        retireQuietly(version, now());
        key.updatedAt = now();
        outbox.record(key.tenantId, new KeyRevoked(key.id.toString(), version.version, reason));
        auditLog.record("key.revoke", key.tenantId, key.id.toString(), "OK", "version " + version.version);
    }

    private void retireQuietly(AppKeyVersion version, Instant now) {
        version.state = KeyState.RETIRED;
        version.retiredAt = now;
        if (version.secretRef != null) {
            secretStore.destroy(version.secretRef, 1);
        }
    }

    public AppKey require(String tenantId, UUID keyId) {
        AppKey key = AppKey.find("id = ?1 and tenantId = ?2", keyId, tenantId).firstResult();
        if (key == null) {
            throw notFound(keyId);
        }
        return key;
    }

    public PageOf<AppKey> list(String tenantId, String provider, String appId, Environment environment, int page, int size) {
        TenantQuery filter = TenantQuery.of(tenantId)
                .whereEquals("provider", provider)
                .whereEquals("appId", appId)
                .whereEquals("environment", environment);
        var found = AppKey.<AppKey>find(filter.query(), Sort.by("createdAt").and("id"), filter.parameters());
        List<AppKey> items = found.page(Page.of(page, size)).list();
        return new PageOf<>(items, page, size, found.count());
    }

    public AppKeyVersion requireVersion(AppKey key, int versionNumber) {
        AppKeyVersion version = AppKeyVersion.find(key.id, versionNumber);
        if (version == null) {
            throw ProblemException.notFound("VERSION_NOT_FOUND", "Key " + key.id + " has no version " + versionNumber + ".");
        }
        return version;
    }

    private AppKey lockForChange(String tenantId, UUID keyId) {
        AppKey key;
        try {
            key = entityManager.find(AppKey.class, keyId, LockModeType.PESSIMISTIC_WRITE,
                    Map.of("jakarta.persistence.lock.timeout", 0)); // NOWAIT
        } catch (PersistenceException e) {
            if (isLockNotAvailable(e)) {
                throw ProblemException.conflict("KEY_BUSY",
                        "Another change to key " + keyId + " is in progress; look at the key again and retry if still needed.");
            }
            throw e;
        }
        if (key == null || !key.tenantId.equals(tenantId)) {
            throw notFound(keyId);
        }
        if (key.isRevoked()) {
            throw ProblemException.conflict("KEY_REVOKED", "Key " + keyId + " was revoked on " + key.revokedAt
                    + " and can no longer change; create a new key.");
        }
        return key;
    }

    private static boolean isLockNotAvailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof jakarta.persistence.PessimisticLockException || cause instanceof jakarta.persistence.LockTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void refusePendingVersion(AppKey key) {
        long pending = AppKeyVersion.count("keyId = ?1 and state = ?2", key.id, KeyState.PENDING);
        if (pending > 0) {
            throw ProblemException.conflict("PENDING_VERSION_EXISTS", "Key " + key.id
                    + " has a PENDING version; promote it or revoke it before making another.");
        }
    }

    /** Keys are never shared across environments: the same public key may not serve sandbox and production. */
    private static void refuseSharingAcrossEnvironments(String tenantId, Environment environment, KeyMaterial material) {
        long elsewhere = AppKeyVersion.count(
                "fingerprint = ?1 and keyId in (select k.id from AppKey k where k.tenantId = ?2 and k.environment <> ?3)",
                material.fingerprint(), tenantId, environment);
        if (elsewhere > 0) {
            throw ProblemException.conflict("KEY_SHARED_ACROSS_ENVIRONMENTS",
                    "This key is already used in another environment; sandbox and production need different keys.");
        }
    }

    private int nextVersion(AppKey key) {
        Integer highest = entityManager.createQuery("select max(v.version) from AppKeyVersion v where v.keyId = :id", Integer.class)
                .setParameter("id", key.id).getSingleResult();
        return highest == null ? 1 : highest + 1;
    }

    private AppKeyVersion addVersion(AppKey key, int number, KeyMaterial material, KeyState state, Instant now) {
        AppKeyVersion version = new AppKeyVersion();
        version.keyId = key.id;
        version.version = number;
        version.state = state;
        version.algorithm = material.algorithm();
        version.fingerprint = material.fingerprint();
        version.publicKey = material.publicKeyBase64();
        version.createdAt = now;
        Optional<byte[]> privateKey = material.privateKeyPkcs8();
        if (privateKey.isPresent()) {
            // a fresh path per version: a write left behind by a rolled-back transaction can never be in the way
            version.secretRef = "tenants/" + key.tenantId + "/keys/" + key.id + "/v" + number + "-" + randomSuffix();
            byte[] pkcs8 = privateKey.get();
            try {
                secretStore.put(version.secretRef, 1, pkcs8);
            } finally {
                java.util.Arrays.fill(pkcs8, (byte) 0);
            }
        }
        version.persist();
        return version;
    }

    private void applyPolicy(AppKey key, KeyPolicy policy) {
        Duration grace = policy == null || policy.gracePeriod() == null ? config.defaultGracePeriod() : policy.gracePeriod();
        key.gracePeriodSeconds = grace.toSeconds();
        key.rotateAfterDays = policy == null ? null : policy.rotateAfterDays();
        key.warnDaysBefore = policy == null ? null : policy.warnDaysBefore();
        if (key.warnDaysBefore != null && key.rotateAfterDays != null && key.warnDaysBefore >= key.rotateAfterDays) {
            throw ProblemException.badRequest("POLICY_INVALID", "warnDaysBefore (" + key.warnDaysBefore
                    + ") must be smaller than rotateAfterDays (" + key.rotateAfterDays + ").");
        }
    }

    private static String randomSuffix() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Microseconds, as PostgreSQL stores them: what an event says is then exactly what a read returns. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static ProblemException notFound(UUID keyId) {
        return ProblemException.notFound("KEY_NOT_FOUND", "No key '" + keyId + "' exists for this tenant.");
    }
}
