package io.keyfleet.keys.credential;

import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.events.CredentialCreated;
import io.keyfleet.events.CredentialRevoked;
import io.keyfleet.events.CredentialRotated;
import io.keyfleet.events.CredentialUpdated;
import io.keyfleet.kit.auth.VerificationCache;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.secret.SecretStore;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The lifecycle of API credentials: create, rotate (the old secret keeps working for the grace period), revoke (at
 * once), enable and disable. A new secret is returned exactly once, by the call that made it; afterwards only an API
 * key's SHA-256 hash and display prefix, or a SecretKey's reference into the secret store, are kept. Create, rotate
 * and revoke record their event in the outbox and an audit record, in the same transaction.
 */
@ApplicationScoped
public class Credentials {

    @Inject
    Tenants tenants;

    @Inject
    Outbox outbox;

    @Inject
    AuditLog auditLog;

    @Inject
    SecretStore secretStore;

    @Inject
    CredentialsConfig config;

    @Inject
    EntityManager entityManager;

    /** This instance's cache is emptied at once; the other instances hear it from the event. */
    @Inject
    VerificationCache verificationCache;

    /** What a new credential looks like; already checked by the resource. */
    public record Spec(CredentialKind kind, boolean live, List<String> scopes, IpWhitelist whitelist, Instant expiresAt,
                       String callbackUrl, String remark, boolean enabled, Duration gracePeriod) {
    }

    /** A credential with the secret just made: {@code apiKey} or {@code secretKey}, never stored in clear. */
    public record Issued(ApiCredential credential, ApiCredentialSecret secret, String apiKey, String secretKey) {
    }

    public record PageOf<T>(List<T> items, int page, int size, long total) {
    }

    @Transactional
    public Issued create(String tenantId, Spec spec) {
        return create(tenantId, spec, null, null);
    }

    /**
     * A credential key-service makes itself at start ({@link BootstrapCredentials}): found again by its bootstrap
     * name, and with an API key given by configuration when {@code apiKey} is not null.
     */
    @Transactional
    public Issued createBootstrap(String tenantId, Spec spec, String bootstrapName, String apiKey) {
        return create(tenantId, spec, bootstrapName, apiKey);
    }

    /** Makes {@code apiKey} the current secret; the one it replaces keeps working for {@code grace} (zero: not at all). */
    @Transactional
    public void replaceBootstrapKey(UUID id, String apiKey, Duration grace) {
        ApiCredential credential = entityManager.find(ApiCredential.class, id, LockModeType.PESSIMISTIC_WRITE);
        Instant now = now();
        Instant graceEnd = now.plus(grace);
        ApiCredentialSecret.current(credential).validUntil = graceEnd;
        credential.currentVersion++;
        credential.updatedAt = now;
        addSecret(credential, credential.currentVersion, now, apiKey);
        outbox.record(credential.tenantId, new CredentialRotated(credential.id.toString(), credential.currentVersion, graceEnd));
        auditLog.record("credential.rotate", credential.tenantId, credential.id.toString(), "OK", "from configuration");
        verificationCache.evict(credential.id);
    }

    /**
     * Sets a bootstrap credential's scopes to what configuration says it holds now (a service credential narrowed, or
     * made before its service's list shrank). Every service's verification cache drops it (CredentialUpdated).
     */
    @Transactional
    public void setBootstrapScopes(UUID id, List<String> scopes) {
        ApiCredential credential = entityManager.find(ApiCredential.class, id, LockModeType.PESSIMISTIC_WRITE);
        String was = credential.scopes;
        credential.scopes = String.join(",", scopes);
        credential.updatedAt = now();
        outbox.record(credential.tenantId, new CredentialUpdated(credential.id.toString(), credential.enabled));
        auditLog.record("credential.scopes", credential.tenantId, credential.id.toString(), "OK",
                "from configuration: " + was + " -> " + credential.scopes);
        verificationCache.evict(credential.id);
    }

    /**
     * Gives a revoked bootstrap credential's name to a new credential with {@code apiKey}, in one transaction; the revoked
     * one stays revoked under no name.
     */
    @Transactional
    public Issued replaceRevokedBootstrap(UUID revoked, String tenantId, Spec spec, String bootstrapName, String apiKey) {
        ApiCredential.update("bootstrapName = null where id = ?1", revoked);
        ApiCredential.flush();
        return create(tenantId, spec, bootstrapName, apiKey);
    }

    /** Whether the API key was ever a secret of any credential (the store keeps every version's hash). */
    public boolean wasEverUsed(String apiKey) {
        return ApiCredentialSecret.count("keyHash", hash(apiKey)) > 0;
    }

    private Issued create(String tenantId, Spec spec, String bootstrapName, String givenApiKey) {
        tenants.require(tenantId);
        Instant now = now();
        ApiCredential credential = new ApiCredential();
        credential.id = UUID.randomUUID();
        credential.tenantId = tenantId;
        credential.kind = spec.kind();
        credential.live = spec.live();
        credential.scopes = String.join(",", spec.scopes());
        credential.ipWhitelist = spec.whitelist().toStored();
        credential.expiresAt = spec.expiresAt();
        credential.callbackUrl = spec.callbackUrl();
        credential.remark = spec.remark();
        credential.enabled = spec.enabled();
        credential.currentVersion = 1;
        credential.gracePeriodSeconds = (spec.gracePeriod() == null ? config.defaultGracePeriod() : spec.gracePeriod()).toSeconds();
        if (spec.kind() == CredentialKind.SECRET_PAIR) {
            credential.secretId = "kfid_" + ApiKeyFormat.randomBase62(24);
        }
        credential.createdAt = now;
        credential.updatedAt = now;
        credential.bootstrapName = bootstrapName;
        credential.persist();
        Issued issued = addSecret(credential, 1, now, givenApiKey);
        outbox.record(tenantId, new CredentialCreated(credential.id.toString(), credential.kind.name(), credential.scopeList()));
        auditLog.record("credential.create", tenantId, credential.id.toString(), "OK", credential.kind.name());
        return issued;
    }

    /** A new secret, current at once; the old one stays valid for the grace period (the credential's own unless given). */
    @Transactional
    public Issued rotate(String tenantId, UUID id, Duration gracePeriod) {
        ApiCredential credential = lockForChange(tenantId, id);
        if (credential.bootstrapName != null) {
            // a new key of signing-service's credential would be signing-service to key-service: its keys change only
            // through configuration (BootstrapCredentials), where the service gets the same key
            throw ProblemException.conflict("BOOTSTRAP_CREDENTIAL", "Credential " + id + " is " + credential.bootstrapName
                    + ", made from key-service's configuration; rotate it there (KEYFLEET_SERVICE_KEYS or KEYFLEET_ADMIN_API_KEY)."
                    + " It can be revoked or disabled here.");
        }
        Instant now = now();
        Instant graceEnd = now.plus(gracePeriod == null ? credential.gracePeriod() : gracePeriod);
        ApiCredentialSecret previous = ApiCredentialSecret.current(credential);
        previous.validUntil = graceEnd;
        int version = credential.currentVersion + 1;
        credential.currentVersion = version;
        credential.updatedAt = now;
        Issued issued = addSecret(credential, version, now, null);
        outbox.record(tenantId, new CredentialRotated(credential.id.toString(), version, graceEnd));
        auditLog.record("credential.rotate", tenantId, credential.id.toString(), "OK", "version " + version);
        verificationCache.evict(credential.id);
        return issued;
    }

    /** Revokes at once: every secret version stops working and SecretKeys are destroyed. Revoking again changes nothing. */
    @Transactional
    public ApiCredential revoke(String tenantId, UUID id, String reason) {
        ApiCredential credential = lock(tenantId, id);
        if (credential.isRevoked()) {
            return credential;
        }
        Instant now = now();
        for (ApiCredentialSecret secret : ApiCredentialSecret.of(credential.id)) {
            if (secret.validUntil == null || secret.validUntil.isAfter(now)) {
                secret.validUntil = now;
            }
            destroySecret(secret);
        }
        credential.revokedAt = now;
        credential.revokeReason = reason;
        credential.updatedAt = now;
        outbox.record(tenantId, new CredentialRevoked(credential.id.toString(), reason));
        auditLog.record("credential.revoke", tenantId, credential.id.toString(), "OK", null);
        verificationCache.evict(credential.id);
        return credential;
    }

    @Transactional
    public ApiCredential setEnabled(String tenantId, UUID id, boolean enabled) {
        ApiCredential credential = lockForChange(tenantId, id);
        if (credential.enabled != enabled) {
            credential.enabled = enabled;
            credential.updatedAt = now();
            outbox.record(tenantId, new CredentialUpdated(credential.id.toString(), enabled));
            auditLog.record(enabled ? "credential.enable" : "credential.disable", tenantId, credential.id.toString(), "OK", null);
            verificationCache.evict(credential.id);
        }
        return credential;
    }

    public ApiCredential require(String tenantId, UUID id) {
        ApiCredential credential = ApiCredential.find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
        if (credential == null) {
            throw notFound(id);
        }
        return credential;
    }

    public PageOf<ApiCredential> list(String tenantId, int page, int size) {
        var found = ApiCredential.<ApiCredential>find("tenantId", Sort.by("createdAt").and("id"), tenantId);
        return new PageOf<>(found.page(Page.of(page, size)).list(), page, size, found.count());
    }

    /** Destroys the SecretKey of a version (revocation, or its grace has ended). */
    void destroySecret(ApiCredentialSecret secret) {
        if (secret.secretRef != null) {
            secretStore.destroy(secret.secretRef, 1);
            secret.secretRef = null;
        }
    }

    private Issued addSecret(ApiCredential credential, int version, Instant now, String givenApiKey) {
        ApiCredentialSecret secret = new ApiCredentialSecret();
        secret.id = UUID.randomUUID();
        secret.credentialId = credential.id;
        secret.version = version;
        secret.createdAt = now;
        String apiKey = null;
        String secretKey = null;
        if (credential.kind == CredentialKind.API_KEY) {
            apiKey = givenApiKey != null ? givenApiKey : ApiKeyFormat.generate(credential.live);
            secret.keyHash = hash(apiKey);
            secret.keyPrefix = ApiKeyFormat.displayPrefix(apiKey);
        } else {
            secretKey = ApiKeyFormat.randomBase62(40);
            // a fresh path per version: a write left behind by a rolled-back transaction can never be in the way
            secret.secretRef = "tenants/" + credential.tenantId + "/credentials/" + credential.id + "/v" + version + "-"
                    + ApiKeyFormat.randomBase62(8);
            byte[] bytes = secretKey.getBytes(StandardCharsets.UTF_8);
            try {
                secretStore.put(secret.secretRef, 1, bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        secret.persist();
        return new Issued(credential, secret, apiKey, secretKey);
    }

    /** Lower-case hex SHA-256 of an API key, as stored. */
    static String hash(String apiKey) {
        return HexFormat.of().formatHex(RequestSignature.sha256(apiKey.getBytes(StandardCharsets.UTF_8)));
    }

    private ApiCredential lockForChange(String tenantId, UUID id) {
        ApiCredential credential = lock(tenantId, id);
        if (credential.isRevoked()) {
            throw ProblemException.conflict("CREDENTIAL_REVOKED", "Credential " + id + " was revoked on " + credential.revokedAt
                    + " and can no longer change; create a new credential.");
        }
        return credential;
    }

    private ApiCredential lock(String tenantId, UUID id) {
        ApiCredential credential = entityManager.find(ApiCredential.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (credential == null || !credential.tenantId.equals(tenantId)) {
            throw notFound(id);
        }
        return credential;
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("CREDENTIAL_NOT_FOUND", "No credential " + id + " exists for your tenant.");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
