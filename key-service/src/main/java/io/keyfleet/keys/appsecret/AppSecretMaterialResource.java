package io.keyfleet.keys.appsecret;

import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.credential.MaterialReaders;
import io.keyfleet.keys.keypair.Environment;
import io.keyfleet.keys.keypair.KeyState;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
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
@Path("/internal/v1/app-secrets")
@RequiresScope(Scopes.KEYS_MATERIAL)
@Tag(name = "Internal: key material", description = "For Keyfleet's own services only")
public class AppSecretMaterialResource {

    public record VersionMaterial(int version, KeyState state, Instant validUntil, String secret) {
        @Override
        public String toString() {
            return "VersionMaterial[" + version + "]"; // never the secret
        }
    }

    public record SecretMaterial(UUID secretId, String tenantId, String provider, String appId, Environment environment,
                                 AppSecretType type, int currentVersion, List<VersionMaterial> versions) {
    }

    @Inject
    AppSecrets appSecrets;

    @Inject
    AuditLog auditLog;

    @Inject
    MaterialReaders materialReaders;

    @GET
    @Transactional
    @Operation(summary = "An app secret's usable versions (CURRENT, and PREVIOUS within its grace period), with their bytes")
    public SecretMaterial material(@QueryParam("tenantId") @NotNull @Size(max = 64) String tenantId,
                                   @QueryParam("provider") @NotNull @Size(max = 40) String provider,
                                   @QueryParam("appId") @NotNull @Size(max = 64) String appId,
                                   @QueryParam("environment") @NotNull Environment environment,
                                   @QueryParam("type") @NotNull AppSecretType type) {
        String target = provider + "/" + appId + "/" + environment + "/" + type;
        // who may read comes first: a refused caller learns nothing about which secrets exist
        materialReaders.require(Scopes.KEYS_MATERIAL, "app-secret.material.read", tenantId, target);
        AppSecret secret = appSecrets.find(tenantId, new AppSecrets.Scope(provider, appId, environment, type));
        if (secret == null) {
            throw ProblemException.notFound("SECRET_NOT_FOUND", "No " + environment + " " + type + " secret for app '" + appId
                    + "' at '" + provider + "'.");
        }
        Instant now = Instant.now();
        List<VersionMaterial> versions = new ArrayList<>();
        for (AppSecretVersion version : AppSecretVersion.of(secret.id)) {
            if (version.usable(now)) {
                byte[] bytes = appSecrets.bytesOf(version);
                try {
                    versions.add(new VersionMaterial(version.version, version.state, version.validUntil,
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
