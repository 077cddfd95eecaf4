package io.keyfleet.sandbox.admin;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/stats")
@Tag(name = "Sandbox admin: stats", description = "Upstream refreshes per grant and calls per outcome, for tests and benchmarks")
public class StatsResource {

    @Inject
    Stats stats;

    @GET
    @Path("/refreshes")
    @Operation(summary = "Refresh counts over all grants (optionally of one app)",
            description = "maxRefreshesOfOneToken == 1 means no refresh token was used twice: one refresh per grant per cycle.")
    public Stats.RefreshSummary refreshes(@QueryParam("appId") String appId) {
        return stats.refreshSummary(appId);
    }

    @GET
    @Path("/grants")
    @Operation(summary = "Per grant: refreshes, current generation and refreshes per generation",
            description = "Keyset paging: pass the last grantId seen as afterId.")
    public List<Stats.GrantStats> grants(@QueryParam("appId") String appId, @QueryParam("userId") String userId,
                                         @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10_000) int limit,
                                         @QueryParam("afterId") @DefaultValue("0") long afterId) {
        return stats.grants(appId, userId, limit, afterId);
    }

    @GET
    @Path("/calls")
    @Operation(summary = "Token-endpoint calls by operation and outcome since a time (default: all)")
    public List<Stats.CallCount> calls(@QueryParam("appId") String appId, @QueryParam("since") Instant since) {
        return stats.calls(appId, since == null ? Instant.EPOCH : since);
    }
}
