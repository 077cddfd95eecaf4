package io.keyfleet.keys.keypair;

import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.keys.support.KeysConfig;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Creates and rotates app key pairs; every change is recorded as an event in the same transaction. */
@ApplicationScoped
public class AppKeys {

    @Inject
    Tenants tenants;

    @Inject
    Outbox outbox;

    @Inject
    KeysConfig config;

    public record Created(AppKey key, AppKeyVersion version, GeneratedKeyPair material) {
    }

    @Transactional
    public Created create(String tenantId, String provider, String appId, Environment environment) {
        tenants.require(tenantId);
        if (AppKey.count("tenantId = ?1 and provider = ?2 and appId = ?3 and environment = ?4",
                tenantId, provider, appId, environment) > 0) {
            throw ProblemException.conflict("KEY_EXISTS", "App '" + appId + "' already has a " + environment
                    + " key for provider '" + provider + "'; rotate it instead of creating another.");
        }
        Instant now = Instant.now();
        AppKey key = new AppKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.provider = provider;
        key.appId = appId;
        key.environment = environment;
        key.algorithm = KeyAlgorithm.RSA_2048;
        key.currentVersion = 1;
        key.gracePeriodSeconds = config.defaultGracePeriod().toSeconds();
        key.createdAt = now;
        key.updatedAt = now;
        key.persistAndFlush();

        GeneratedKeyPair material = GeneratedKeyPair.generate(key.algorithm);
        AppKeyVersion version = newVersion(key, 1, material, now);
        outbox.record(tenantId, new KeyCreated(key.id.toString(), provider, appId, environment.name(), 1,
                key.algorithm.name(), material.fingerprint(), material.publicKeyBase64(), false));
        return new Created(key, version, material);
    }

    /** One-click replace: a new CURRENT version at once; the old one stays PREVIOUS until its grace ends. */
    @Transactional
    public Created rotate(String tenantId, UUID keyId) {
        AppKey key = AppKey.find("id = ?1 and tenantId = ?2", keyId, tenantId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
        if (key == null) {
            throw notFound(keyId);
        }
        Instant now = Instant.now();
        Instant graceEnd = now.plus(Duration.ofSeconds(key.gracePeriodSeconds));
        AppKeyVersion previous = AppKeyVersion.findById(new AppKeyVersion.VersionId(key.id, key.currentVersion));
        previous.state = KeyState.PREVIOUS;
        previous.validUntil = graceEnd;

        int next = key.currentVersion + 1;
        GeneratedKeyPair material = GeneratedKeyPair.generate(key.algorithm);
        AppKeyVersion version = newVersion(key, next, material, now);
        key.currentVersion = next;
        key.updatedAt = now;
        outbox.record(tenantId, new KeyRotated(key.id.toString(), key.provider, key.appId, key.environment.name(),
                previous.version, next, key.algorithm.name(), material.fingerprint(), material.publicKeyBase64(), graceEnd));
        return new Created(key, version, material);
    }

    public AppKey require(String tenantId, UUID keyId) {
        AppKey key = AppKey.find("id = ?1 and tenantId = ?2", keyId, tenantId).firstResult();
        if (key == null) {
            throw notFound(keyId);
        }
        return key;
    }

    private static AppKeyVersion newVersion(AppKey key, int number, GeneratedKeyPair material, Instant now) {
        AppKeyVersion version = new AppKeyVersion();
        version.keyId = key.id;
        version.version = number;
        version.state = KeyState.CURRENT;
        version.fingerprint = material.fingerprint();
        version.publicKey = material.publicKeyBase64();
        version.createdAt = now;
        version.persist();
        return version;
    }

    private static ProblemException notFound(UUID keyId) {
        return ProblemException.notFound("KEY_NOT_FOUND", "No key '" + keyId + "' exists for this tenant.");
    }
}
