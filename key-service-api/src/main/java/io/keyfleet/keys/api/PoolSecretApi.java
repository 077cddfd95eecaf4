package io.keyfleet.keys.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Upstream resource-pool API secrets, kept for sync-service in key-service's secret backend (system-only scope
 * {@code secrets:pools}; only sync-service's own credential reads one). Versioned: the caller keeps the version number and
 * writes version n+1 to replace the secret (409 SECRET_VERSION_CONFLICT otherwise). {@code tenant} is the tenant the
 * calling service acts for ({@value KeyServiceApi#TENANT_HEADER}).
 */
@Path("/internal/v1/secrets/pools/{poolId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface PoolSecretApi {

    record PutSecret(@NotNull @Positive Integer version, @NotBlank @Size(max = 512) String secret) {
        @Override
        public String toString() {
            return "PutSecret[" + version + "]"; // never the secret
        }
    }

    record SecretView(String poolId, int version, String secret) {
        @Override
        public String toString() {
            return "SecretView[" + poolId + "/" + version + "]"; // never the secret
        }
    }

    /** Store version n of a pool's API secret (n = the latest stored + 1); 204. */
    @PUT
    void put(@HeaderParam(KeyServiceApi.TENANT_HEADER) String tenant, @PathParam("poolId") @Size(max = 64) String poolId,
             @Valid @NotNull PutSecret request);

    /** One version of a pool's API secret; 404 POOL_SECRET_NOT_FOUND when there is none. */
    @GET
    SecretView get(@HeaderParam(KeyServiceApi.TENANT_HEADER) String tenant, @PathParam("poolId") @Size(max = 64) String poolId,
                   @QueryParam("version") Integer version);

    /** Destroy one version of a pool's API secret (idempotent); 204. */
    @DELETE
    void delete(@HeaderParam(KeyServiceApi.TENANT_HEADER) String tenant, @PathParam("poolId") @Size(max = 64) String poolId,
                @QueryParam("version") Integer version);
}
