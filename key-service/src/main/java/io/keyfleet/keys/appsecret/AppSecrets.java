package io.keyfleet.keys.appsecret;

import io.keyfleet.keys.api.AppSecretType;

import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyState;
import io.keyfleet.keys.secret.SecretStore;
import io.keyfleet.keys.support.KeysConfig;
import io.keyfleet.keys.support.TenantQuery;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The lifecycle of app secrets (symmetric keys): import one a provider's console made or generate one, rotate (the new
 * version is CURRENT at once, the old one PREVIOUS for the grace period, then RETIRED and destroyed), end a PREVIOUS
 * version early. Every change locks the secret's row without waiting (a concurrent change gets 409 SECRET_BUSY) and is
 * audited; the bytes go to the secret store, only their reference is kept here. No events: nothing about a secret is
 * worth announcing, and signing-service re-reads a secret's versions after a short time (see docs/architecture.md).
 */
@ApplicationScoped
public class AppSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Tenants tenants;

    @Inject
    AuditLog auditLog;

    @Inject
    KeysConfig config;

    @Inject
    SecretStore secretStore;

    @Inject
    EntityManager entityManager;

    /** A version just made; {@code generated} holds its bytes only when they were generated here (shown once). */
    public record NewVersion(AppSecret secret, AppSecretVersion version, byte[] generated) {
    }

    public record PageOf<T>(List<T> items, int page, int size, long total) {
    }

    /** Which app a secret belongs to. */
    public record Scope(String provider, String appId, Environment environment, AppSecretType type) {
    }

    @Transactional
    public NewVersion create(String tenantId, Scope scope, Optional<byte[]> imported, Duration gracePeriod) {
        tenants.require(tenantId);
        if (AppSecret.count("tenantId = ?1 and provider = ?2 and appId = ?3 and environment = ?4 and secretType = ?5", tenantId,
                scope.provider(), scope.appId(), scope.environment(), scope.type()) > 0) {
            throw ProblemException.conflict("SECRET_EXISTS", "App '" + scope.appId() + "' already has a " + scope.environment() + " "
                    + scope.type() + " secret for provider '" + scope.provider() + "'; rotate it instead.");
        }
        Instant now = now();
        AppSecret secret = new AppSecret();
        secret.id = UUID.randomUUID();
        secret.tenantId = tenantId;
        secret.provider = scope.provider();
        secret.appId = scope.appId();
        secret.environment = scope.environment();
        secret.secretType = scope.type();
        secret.currentVersion = 1;
        secret.gracePeriodSeconds = (gracePeriod != null ? gracePeriod : config.defaultGracePeriod()).toSeconds();
        secret.createdAt = now;
        secret.updatedAt = now;
        secret.persist();
        NewVersion created = addVersion(secret, 1, imported, now);
        auditLog.record("app-secret.create", tenantId, secret.id.toString(), "OK", scope.type() + " " + created.version().origin);
        return created;
    }

    /** A new version, CURRENT at once; the old CURRENT stays PREVIOUS (still decrypts and verifies) for the grace period. */
    @Transactional
    public NewVersion rotate(String tenantId, UUID secretId, Optional<byte[]> imported) {
        AppSecret secret = lockForChange(tenantId, secretId);
        Instant now = now();
        retireEnded(secret, now);
        AppSecretVersion current = AppSecretVersion.find(secret.id, secret.currentVersion);
        current.state = KeyState.PREVIOUS;
        current.validUntil = now.plus(secret.gracePeriod());
        entityManager.flush(); // the old CURRENT must be PREVIOUS before another row may be CURRENT
        Integer highest = entityManager.createQuery("select max(v.version) from AppSecretVersion v where v.secretId = :id", Integer.class)
                .setParameter("id", secret.id).getSingleResult();
        NewVersion created = addVersion(secret, highest + 1, imported, now);
        secret.currentVersion = created.version().version;
        secret.updatedAt = now;
        auditLog.record("app-secret.rotate", tenantId, secret.id.toString(), "OK", "version " + secret.currentVersion + " current, "
                + created.version().origin);
        return created;
    }

    /** Ends a PREVIOUS version now; the CURRENT version only goes by rotating. */
    @Transactional
    public AppSecret revokeVersion(String tenantId, UUID secretId, int versionNumber) {
        AppSecret secret = lockForChange(tenantId, secretId);
        AppSecretVersion version = requireVersion(secret, versionNumber);
        if (version.state == KeyState.CURRENT) {
            throw ProblemException.conflict("VERSION_IS_CURRENT", "Version " + versionNumber + " is the CURRENT version; rotate first.");
        }
        if (version.state != KeyState.RETIRED) {
            retire(version, now());
            secret.updatedAt = now();
            auditLog.record("app-secret.revoke", tenantId, secret.id.toString(), "OK", "version " + versionNumber);
        }
        return secret;
    }

    public AppSecret require(String tenantId, UUID secretId) {
        AppSecret secret = AppSecret.find("id = ?1 and tenantId = ?2", secretId, tenantId).firstResult();
        if (secret == null) {
            throw notFound(secretId);
        }
        return secret;
    }

    public PageOf<AppSecret> list(String tenantId, String provider, String appId, Environment environment, AppSecretType type,
                                  int page, int size) {
        TenantQuery filter = TenantQuery.of(tenantId).whereEquals("provider", provider).whereEquals("appId", appId)
                .whereEquals("environment", environment).whereEquals("secretType", type);
        var found = AppSecret.<AppSecret>find(filter.query(), Sort.by("createdAt").and("id"), filter.parameters());
        return new PageOf<>(found.page(Page.of(page, size)).list(), page, size, found.count());
    }

    /** The secret of an app, for the internal material API; null when there is none. */
    public AppSecret find(String tenantId, Scope scope) {
        return AppSecret.find("tenantId = ?1 and provider = ?2 and appId = ?3 and environment = ?4 and secretType = ?5", tenantId,
                scope.provider(), scope.appId(), scope.environment(), scope.type()).firstResult();
    }

    /** The bytes of a usable version; the caller zeroes them. */
    public byte[] bytesOf(AppSecretVersion version) {
        return secretStore.get(version.secretRef, 1);
    }

    /** PREVIOUS versions whose grace has ended are retired and their bytes destroyed. */
    @Scheduled(every = "${keyfleet.keys.lifecycle-interval}", delayed = "7s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void retireEndedGracePeriods() {
        Instant now = now();
        List<AppSecretVersion> ended = AppSecretVersion.list("state = ?1 and validUntil <= ?2", KeyState.PREVIOUS, now);
        for (AppSecretVersion version : ended) {
            retire(version, now);
            AppSecret secret = AppSecret.findById(version.secretId);
            auditLog.record("app-secret.revoke", secret.tenantId, secret.id.toString(), "OK", "version " + version.version
                    + ": grace period ended");
        }
    }

    private void retireEnded(AppSecret secret, Instant now) {
        for (AppSecretVersion version : AppSecretVersion.of(secret.id)) {
            if (version.state == KeyState.PREVIOUS && !version.validUntil.isAfter(now)) {
                retire(version, now);
            }
        }
    }

    private void retire(AppSecretVersion version, Instant now) {
        version.state = KeyState.RETIRED;
        version.retiredAt = now;
        if (version.secretRef != null) {
            secretStore.destroy(version.secretRef, 1);
            version.secretRef = null;
        }
    }

    private NewVersion addVersion(AppSecret secret, int number, Optional<byte[]> imported, Instant now) {
        byte[] bytes = imported.map(byte[]::clone).orElseGet(() -> {
            byte[] generated = new byte[secret.secretType.generatedBytes()];
            RANDOM.nextBytes(generated);
            return generated;
        });
        if (!secret.secretType.allows(bytes.length)) {
            Arrays.fill(bytes, (byte) 0);
            throw ProblemException.badRequest("SECRET_LENGTH_INVALID", "A " + secret.secretType + " secret must have "
                    + secret.secretType.allowedLengths() + ".");
        }
        AppSecretVersion version = new AppSecretVersion();
        version.secretId = secret.id;
        version.version = number;
        version.state = KeyState.CURRENT;
        version.origin = imported.isPresent() ? AppSecretVersion.Origin.IMPORTED : AppSecretVersion.Origin.GENERATED;
        version.keyBits = bytes.length * 8;
        version.createdAt = now;
        // a fresh path per version: a write left behind by a rolled-back transaction can never be in the way
        version.secretRef = "tenants/" + secret.tenantId + "/app-secrets/" + secret.id + "/v" + number + "-" + randomSuffix();
        secretStore.put(version.secretRef, 1, bytes);
        version.persist();
        if (imported.isPresent()) {
            Arrays.fill(bytes, (byte) 0);
            return new NewVersion(secret, version, null);
        }
        return new NewVersion(secret, version, bytes);
    }

    private AppSecretVersion requireVersion(AppSecret secret, int versionNumber) {
        AppSecretVersion version = AppSecretVersion.find(secret.id, versionNumber);
        if (version == null) {
            throw ProblemException.notFound("VERSION_NOT_FOUND", "Secret " + secret.id + " has no version " + versionNumber + ".");
        }
        return version;
    }

    private AppSecret lockForChange(String tenantId, UUID secretId) {
        AppSecret secret;
        try {
            secret = entityManager.find(AppSecret.class, secretId, LockModeType.PESSIMISTIC_WRITE,
                    Map.of("jakarta.persistence.lock.timeout", 0)); // NOWAIT
        } catch (PersistenceException e) {
            if (isLockNotAvailable(e)) {
                throw ProblemException.conflict("SECRET_BUSY", "Another change to secret " + secretId + " is in progress; retry.");
            }
            throw e;
        }
        if (secret == null || !secret.tenantId.equals(tenantId)) {
            throw notFound(secretId);
        }
        return secret;
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

    private static String randomSuffix() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Microseconds, as PostgreSQL stores them. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static ProblemException notFound(UUID secretId) {
        return ProblemException.notFound("SECRET_NOT_FOUND", "No app secret '" + secretId + "' exists for this tenant.");
    }
}
