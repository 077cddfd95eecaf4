package io.keyfleet.keys.keypair;

import io.keyfleet.keys.api.KeyState;

import io.keyfleet.keys.api.Environment;

import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.KeyMaterialApi;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.credential.MaterialReaders;
import io.keyfleet.keys.secret.SecretStore;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Key material for signing-service, never for tenants: keys:material is a system-only scope, and a private key is
 * handed only to the service credential of signing-service, the one identity that signs ({@link MaterialReaders}).
 * Only CURRENT versions and PREVIOUS versions within their grace are served; every read, served or refused, is audited.
 */
@RequiresScope(Scopes.KEYS_MATERIAL)
@Tag(name = "Internal: key material", description = "For Keyfleet's own services only")
public class KeyMaterialResource implements KeyMaterialApi {

    @Inject
    SecretStore secretStore;

    @Inject
    AuditLog auditLog;

    @Inject
    MaterialReaders materialReaders;

    @Override
    @Operation(summary = "Find a key by tenant, provider, app and environment (public parts only)")
    public KeySummary lookup(String tenantId, String provider, String appId, Environment environment) {
        materialReaders.require(Scopes.KEYS_MATERIAL, "key.lookup", tenantId, provider + "/" + appId + "/" + environment);
        AppKey key = AppKey.find("tenantId = ?1 and provider = ?2 and appId = ?3 and environment = ?4",
                tenantId, provider, appId, environment).firstResult();
        if (key == null) {
            throw ProblemException.notFound("KEY_NOT_FOUND", "No " + environment + " key for app '" + appId + "' at '" + provider + "'.");
        }
        return summary(key);
    }

    @Override
    @Operation(summary = "One key by its id (public parts only)", description = "What a key event names: the services read the "
            + "key's state here rather than trust the event.")
    public KeySummary byId(UUID keyId) {
        materialReaders.require(Scopes.KEYS_MATERIAL, "key.lookup", null, keyId.toString());
        AppKey key = AppKey.findById(keyId);
        if (key == null) {
            throw ProblemException.notFound("KEY_NOT_FOUND", "No key '" + keyId + "'.");
        }
        return summary(key);
    }

    @Override
    @Transactional
    @Operation(summary = "The private key of one version, for signing", description = "CURRENT, or PREVIOUS within its grace period.")
    public VersionMaterial material(UUID keyId, int versionNumber) {
        // who may read comes first: a refused caller learns nothing about which keys exist
        materialReaders.require(Scopes.KEYS_MATERIAL, "key.material.read", null, keyId + "/" + versionNumber);
        AppKey key = AppKey.findById(keyId);
        AppKeyVersion version = key == null ? null : AppKeyVersion.find(keyId, versionNumber);
        if (version == null) {
            throw ProblemException.notFound("VERSION_NOT_FOUND", "Key " + keyId + " has no version " + versionNumber + ".");
        }
        String refusal = refusal(key, version);
        if (refusal != null) {
            auditLog.recordRefusal("key.material.read", key.tenantId, keyId + "/" + versionNumber, refusal);
            throw new ProblemException(409, "VERSION_NOT_USABLE", "Not usable for signing", refusal);
        }
        byte[] pkcs8 = secretStore.get(version.secretRef, 1);
        try {
            auditLog.record("key.material.read", key.tenantId, keyId + "/" + versionNumber, "OK", null);
            return new VersionMaterial(key.id, key.tenantId, key.provider, key.appId, key.environment, version.version,
                    version.state, version.algorithm.name(), version.fingerprint, version.publicKey,
                    Base64.getEncoder().encodeToString(pkcs8), version.validUntil);
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
    }

    static KeySummary summary(AppKey key) {
        return new KeySummary(key.id, key.tenantId, key.provider, key.appId, key.environment, key.currentVersion,
                AppKeyVersion.of(key.id).stream().map(AppKeyVersion::view).toList());
    }

    private static String refusal(AppKey key, AppKeyVersion version) {
        if (key.isRevoked()) {
            return "key " + key.id + " was revoked on " + key.revokedAt;
        }
        if (version.secretRef == null) {
            return "version " + version.version + " has only a public key; it can verify but not sign";
        }
        return switch (version.state) {
            case CURRENT -> null;
            case PREVIOUS -> version.validUntil != null && version.validUntil.isAfter(Instant.now()) ? null
                    : "version " + version.version + "'s grace period ended at " + version.validUntil;
            case PENDING -> "version " + version.version + " is PENDING: it never signs until it is promoted";
            case RETIRED -> "version " + version.version + " is RETIRED";
        };
    }
}
