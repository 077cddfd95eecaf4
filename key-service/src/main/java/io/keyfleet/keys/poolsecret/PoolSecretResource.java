package io.keyfleet.keys.poolsecret;

import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.PoolSecretApi;
import io.keyfleet.events.PoolSecretDestroyed;
import io.keyfleet.events.PoolSecretRotated;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.credential.MaterialReaders;
import io.keyfleet.keys.secret.SecretNotFoundException;
import io.keyfleet.keys.secret.SecretStore;
import io.keyfleet.keys.secret.SecretVersionConflictException;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Upstream resource-pool API secrets, kept for sync-service in the secret backend (path
 * {@code tenants/<tenant>/pools/<poolId>}) so they never sit in sync-service's tables. Versioned like every secret:
 * the caller keeps the version number and writes version n+1 to replace the secret. System-only scope
 * {@code secrets:pools}, and only sync-service's own service credential reads a secret ({@link MaterialReaders}).
 * <p>
 * Writing version 2 or later is a rotation and destroying a version may leave a pool without its secret: both go
 * through the outbox (PoolSecretRotated, PoolSecretDestroyed, version numbers only) so that sync-service checks the
 * pool again, whoever made the change. The tenant is the caller's ({@link Caller}, which reads the tenant header).
 */
@RequiresScope(Scopes.SECRETS_POOLS)
@Tag(name = "internal")
public class PoolSecretResource implements PoolSecretApi {

    private static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject
    SecretStore secrets;

    @Inject
    AuditLog audit;

    @Inject
    Caller caller;

    @Inject
    Outbox outbox;

    @Inject
    MaterialReaders materialReaders;

    @Override
    @Transactional
    @Operation(summary = "Store version n of a pool's API secret (n = the latest stored + 1)")
    public void put(String tenantHeader, String poolId, PutSecret request) {
        String tenant = caller.tenantId();
        try {
            secrets.put(path(tenant, poolId), request.version(), request.secret().getBytes(StandardCharsets.UTF_8));
        } catch (SecretVersionConflictException e) {
            throw ProblemException.conflict("SECRET_VERSION_CONFLICT", "Version " + request.version() + " of pool " + poolId
                    + "'s secret is not the next one; read the pool's current version and write the one after it.");
        }
        if (request.version() > 1) {
            outbox.record(tenant, new PoolSecretRotated(poolId, request.version() - 1, request.version()));
        }
        audit.record("pool-secret.put", tenant, poolId, "OK", "version " + request.version());
    }

    @Override
    @Transactional
    @Operation(summary = "Read one version of a pool's API secret")
    public SecretView get(String tenantHeader, String poolId, Integer version) {
        String tenant = caller.tenantId();
        if (version == null || version < 1) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "version: give the secret version (1 or more).");
        }
        materialReaders.require(Scopes.SECRETS_POOLS, "pool-secret.read", tenant, poolId);
        byte[] secret;
        try {
            secret = secrets.get(path(tenant, poolId), version);
        } catch (SecretNotFoundException e) {
            throw ProblemException.notFound("POOL_SECRET_NOT_FOUND", "Pool " + poolId + " has no secret version " + version + ".");
        }
        try {
            audit.record("pool-secret.read", tenant, poolId, "OK", "version " + version);
            return new SecretView(poolId, version, new String(secret, StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    @Override
    @Transactional
    @Operation(summary = "Destroy one version of a pool's API secret (idempotent)")
    public void delete(String tenantHeader, String poolId, Integer version) {
        String tenant = caller.tenantId();
        if (version == null || version < 1) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "version: give the secret version (1 or more).");
        }
        secrets.destroy(path(tenant, poolId), version);
        outbox.record(tenant, new PoolSecretDestroyed(poolId, version));
        audit.record("pool-secret.destroy", tenant, poolId, "OK", "version " + version);
    }

    private static String path(String tenant, String poolId) {
        if (!POOL_ID.matcher(poolId).matches()) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "poolId: 1-64 letters, digits, '_' or '-'.");
        }
        return "tenants/" + tenant + "/pools/" + poolId;
    }
}
