package io.keyfleet.sync.pool;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/pools")
@Tag(name = "Pools", description = "Upstream resource pools: definition, API secret (kept in key-service), connectivity")
public class PoolResource {

    /** A pool as shown: never the secret (only its version). */
    public record PoolView(UUID id, String providerName, String type, String memberId, String apiBaseUrl, List<String> authorizedIps,
                           boolean priceProtection, BigDecimal exchangeRate, String remark, int secretVersion, List<String> customSelectionItems,
                           Integer syncIntervalMinutes, String health, String healthMessage, Instant checkedAt, Instant createdAt,
                           Instant updatedAt) {
        static PoolView of(Pool pool) {
            return new PoolView(pool.id, pool.providerName, pool.type, pool.memberId, pool.apiBaseUrl, pool.authorizedIps,
                    pool.priceProtection, pool.exchangeRate, pool.remark, pool.secretVersion, List.of(pool.customSelectionItems),
                    pool.syncIntervalMinutes, pool.health.name(), pool.healthMessage, pool.checkedAt, pool.createdAt,
                    pool.updatedAt);
        }
    }

    @Inject
    Pools pools;

    @Inject
    Caller caller;

    @POST
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Register a pool", description = "Checks connectivity first (unless the secret is generated: it must be "
            + "registered upstream before anything can pass) and saves nothing when a field or the check fails; the 4xx names the field. "
            + "A generated secret is shown once, in this response.")
    public Response create(PoolDefinition definition) {
        Pools.Saved saved = pools.create(caller.tenantId(), required(definition));
        return Response.status(201).entity(saved(saved)).build();
    }

    @PUT
    @Path("/{id}")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Change a pool (absent fields keep their value); a new secret or address is checked before saving")
    public Map<String, Object> update(@PathParam("id") UUID id, PoolDefinition definition) {
        return saved(pools.update(caller.tenantId(), id, required(definition)));
    }

    @DELETE
    @Path("/{id}")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Delete a pool (soft: its catalog and jobs stay readable in the database, the pool disappears from the API)")
    public Response delete(@PathParam("id") UUID id) {
        pools.delete(caller.tenantId(), id);
        return Response.noContent().build();
    }

    @GET
    @RequiresScope(Scopes.SYNC_READ)
    @Operation(summary = "Pools of the tenant; search matches provider name, member id, type and remark")
    public List<PoolView> list(@QueryParam("search") String search, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        int number = page == null ? 1 : page;
        int limit = size == null ? 50 : size;
        if (number < 1 || limit < 1 || limit > 500) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "page: from 1; size: 1-500.");
        }
        if (search != null && search.length() > 100) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "search: at most 100 characters.");
        }
        return pools.list(caller.tenantId(), search, number, limit).stream().map(PoolView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scopes.SYNC_READ)
    @Operation(summary = "One pool with its credential health")
    public PoolView get(@PathParam("id") UUID id) {
        return PoolView.of(pools.find(caller.tenantId(), id));
    }

    @POST
    @Path("/{id}/check")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Connectivity check of a saved pool now: reachable, authenticated, IP authorized, balance readable")
    public ConnectivityCheck.Report check(@PathParam("id") UUID id) {
        return pools.check(pools.find(caller.tenantId(), id));
    }

    @POST
    @Path("/check")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Connectivity check of a definition before saving it; stores nothing")
    public ConnectivityCheck.Report checkDefinition(PoolDefinition definition) {
        return pools.checkDefinition(required(definition));
    }

    private static Map<String, Object> saved(Pools.Saved saved) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pool", PoolView.of(saved.pool()));
        body.put("check", saved.check());
        if (saved.generatedSecret() != null) {
            body.put("generatedSecret", saved.generatedSecret());
        }
        return body;
    }

    private static PoolDefinition required(PoolDefinition definition) {
        if (definition == null) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "Send the pool definition as JSON.");
        }
        return definition;
    }
}
