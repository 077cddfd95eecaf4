package io.keyfleet.keys.appsecret;

import io.keyfleet.keys.api.AppSecretType;

import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.AppSecretMaterialApi;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.credential.MaterialReaders;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyState;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An app secret's usable versions with their bytes, for signing-service only: the same guard as private keys
 * ({@code keys:material}, and only signing-service's service credential, {@link MaterialReaders}); every read, served or
 * refused, is audited.
 */
@RequiresScope(Scopes.KEYS_MATERIAL)
@Tag(name = "Internal: key material", description = "For Keyfleet's own services only")
public class AppSecretMaterialResource implements AppSecretMaterialApi {

    @Inject
    AppSecrets appSecrets;

    @Inject
    AuditLog auditLog;

    @Inject
    MaterialReaders materialReaders;

    @Override
    @Transactional
    @Operation(summary = "An app secret's usable versions (CURRENT, and PREVIOUS within its grace period), with their bytes")
    public SecretMaterial appSecret(String tenantId, String provider, String appId, Environment environment, AppSecretType type) {
        String target = provider + "/" + appId + "/" + environment + "/" + type;
        // who may read comes first: a refused caller learns nothing about which secrets exist
        materialReaders.require(Scopes.KEYS_MATERIAL, "app-secret.material.read", tenantId, target);
        AppSecret secret = appSecrets.find(tenantId, new AppSecrets.Scope(provider, appId, environment, type));
        if (secret == null) {
            throw ProblemException.notFound("SECRET_NOT_FOUND", "No " + environment + " " + type + " secret for app '" + appId
                    + "' at '" + provider + "'.");
        }
        Instant now = Instant.now();
        List<SecretVersionMaterial> versions = new ArrayList<>();
        for (AppSecretVersion version : AppSecretVersion.of(secret.id)) {
            if (version.usable(now)) {
                byte[] bytes = appSecrets.bytesOf(version);
                try {
                    versions.add(new SecretVersionMaterial(version.version, version.state, version.validUntil,
                            Base64.getEncoder().encodeToString(bytes)));
                } finally {
                    java.util.Arrays.fill(bytes, (byte) 0);
                }
            }
        }
        auditLog.record("app-secret.material.read", tenantId, secret.id.toString(), "OK", "versions " + versions.stream()
                .map(v -> Integer.toString(v.version())).toList());
        return new SecretMaterial(secret.id, secret.tenantId, secret.provider, secret.appId, secret.environment, secret.secretType,
                secret.currentVersion, versions);
    }
}
