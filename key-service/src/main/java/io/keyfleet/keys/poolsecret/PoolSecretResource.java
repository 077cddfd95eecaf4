package io.keyfleet.keys.poolsecret;

import io.keyfleet.auth.Scopes;
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
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
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
 * pool again, whoever made the change.
 */
@Path("/internal/v1/secrets/pools/{poolId}")
@RequiresScope(Scopes.SECRETS_POOLS)
@Tag(name = "internal")
public class PoolSecretResource {

    private static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public record PutSecret(@NotNull @Positive Integer version, @NotBlank @Size(max = 512) String secret) {
        @Override
        public String toString() {
            return "PutSecret[" + version + "]";
        }
    }

    public record SecretView(String poolId, int version, String secret) {
        @Override
        public String toString() {
            return "SecretView[" + poolId + "/" + version + "]";
        }
    }

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

    @PUT
    @Transactional
    @Operation(summary = "Store version n of a pool's API secret (n = the latest stored + 1)")
    public Response put(@PathParam("poolId") String poolId, @Valid @NotNull PutSecret request) {
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
        return Response.noContent().build();
    }

    @GET
    @Transactional
    @Operation(summary = "Read one version of a pool's API secret")
    public SecretView get(@PathParam("poolId") String poolId, @QueryParam("version") Integer version) {
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

    @DELETE
    @Transactional
    @Operation(summary = "Destroy one version of a pool's API secret (idempotent)")
    public Response delete(@PathParam("poolId") String poolId, @QueryParam("version") Integer version) {
        String tenant = caller.tenantId();
        if (version == null || version < 1) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "version: give the secret version (1 or more).");
        }
        secrets.destroy(path(tenant, poolId), version);
        outbox.record(tenant, new PoolSecretDestroyed(poolId, version));
        audit.record("pool-secret.destroy", tenant, poolId, "OK", "version " + version);
        return Response.noContent().build();
    }

    private static String path(String tenant, String poolId) {
        if (!POOL_ID.matcher(poolId).matches()) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "poolId: 1-64 letters, digits, '_' or '-'.");
        }
        return "tenants/" + tenant + "/pools/" + poolId;
    }
}
