package io.keyfleet.sync.job;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.Pools;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/pools/{poolId}")
@Tag(name = "Sync jobs", description = "Background catalog syncs of a pool, with progress; last sync per item")
public class SyncResource {

    /** items: names such as cloud-server-lines; none = sync all. selectedOnly: only the custom selection's lines are updated. */
    public record SyncRequest(List<String> items, Boolean selectedOnly) {
    }

    @Inject
    SyncJobs jobs;

    @Inject
    Pools pools;

    @Inject
    Caller caller;

    @POST
    @Path("/sync-jobs")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Sync one item, several, or all (no items)",
            description = "Runs in the background: 202 with the job to poll. Base resources (zones, operating systems) go first and are "
                    + "added until they have synced once. A request for exactly the items of a running job joins it (200); one that "
                    + "overlaps a running job otherwise is refused (409).")
    public Response start(@PathParam("poolId") UUID poolId, SyncRequest request) {
        Pool pool = pools.find(caller.tenantId(), poolId);
        SyncJobs.Started started = jobs.start(pool, request == null ? List.of() : request.items(),
                request != null && Boolean.TRUE.equals(request.selectedOnly()));
        return Response.status(started.joined() ? 200 : 202).entity(started.job()).build();
    }

    @GET
    @Path("/sync-jobs")
    @RequiresScope(Scopes.SYNC_READ)
    @Operation(summary = "The pool's recent jobs, newest first")
    public List<SyncJobView> list(@PathParam("poolId") UUID poolId) {
        return jobs.recent(pools.find(caller.tenantId(), poolId));
    }

    @GET
    @Path("/sync-jobs/{jobId}")
    @RequiresScope(Scopes.SYNC_READ)
    @Operation(summary = "One job with its progress per item (seen / created / updated / removed)")
    public SyncJobView get(@PathParam("poolId") UUID poolId, @PathParam("jobId") UUID jobId) {
        return jobs.get(pools.find(caller.tenantId(), poolId), jobId);
    }

    @POST
    @Path("/sync-jobs/{jobId}/cancel")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Cancel a queued or running job", description = "A queued job ends FAILED at once; a running one stops "
            + "after the current page (or at once while it waits out a rate limit) and ends PARTIAL. 409 if it has ended.")
    public SyncJobView cancel(@PathParam("poolId") UUID poolId, @PathParam("jobId") UUID jobId) {
        return jobs.cancel(pools.find(caller.tenantId(), poolId), jobId);
    }

    @GET
    @Path("/items")
    @RequiresScope(Scopes.SYNC_READ)
    @Operation(summary = "Each item's last sync time and status (NEVER_SYNCED until its first)")
    public List<ItemSyncTable.ItemSync> items(@PathParam("poolId") UUID poolId) {
        return jobs.items(pools.find(caller.tenantId(), poolId));
    }
}
