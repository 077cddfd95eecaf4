package io.keyfleet.tokens.grant;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.tokens.grant.GrantApi.CurrentToken;
import io.keyfleet.tokens.grant.GrantApi.ExchangeRequest;
import io.keyfleet.tokens.grant.GrantApi.GrantPage;
import io.keyfleet.tokens.grant.GrantApi.GrantView;
import io.keyfleet.tokens.grant.GrantApi.RevokeRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/grants")
@Tag(name = "Grants", description = "Merchants' authorizations of a tenant's apps, and their tokens kept fresh")
public class GrantResource {

    private static final String ID = "grt_[0-9a-f]{20}";

    @Inject
    Caller caller;

    @Inject
    Grants grants;

    @POST
    @Path("/exchange")
    @RequiresScope(Scopes.TOKENS_WRITE)
    @Operation(summary = "Exchange a merchant's one-time authorization code for tokens", description = "The upstream call goes "
            + "through the provider gateway `gatewayVersion` names (V2 or V3; the configured default when absent), signed "
            + "through signing-service, and the grant's refreshes go through the same gateway. A code presented twice is "
            + "refused (CODE_REPLAYED) and the tokens issued from it are revoked. Exchanging for a merchant that already has a grant renews that grant; two exchanges for one merchant at "
            + "the same moment both succeed, the one stored last renewing the grant the first created (next token version).")
    public Response exchange(@Valid @NotNull ExchangeRequest request) {
        GrantView grant = grants.exchange(caller.tenantId(), request);
        return Response.status(201).entity(grant).build();
    }

    @GET
    @RequiresScope(Scopes.TOKENS_READ)
    @Operation(summary = "List grants", description = "Filter by provider, appId, merchantId, status; pages of `limit` "
            + "(1-500, default 100) ordered by id, continue with `after` = the previous page's nextAfter.")
    public GrantPage list(@QueryParam("provider") String provider, @QueryParam("appId") String appId,
                          @QueryParam("merchantId") String merchantId, @QueryParam("status") String status,
                          @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 500) {
            throw ProblemException.badRequest("LIMIT_INVALID", "limit must be between 1 and 500.");
        }
        return grants.list(caller.tenantId(), provider, appId, merchantId, status(status), after, limit);
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scopes.TOKENS_READ)
    @Operation(summary = "A grant (never its tokens)")
    public GrantView get(@PathParam("id") String id) {
        return grants.get(caller.tenantId(), checkedId(id));
    }

    @GET
    @Path("/{id}/token")
    @RequiresScope(Scopes.TOKENS_READ)
    @Operation(summary = "The grant's current access token", description = "Never one past its expiry: a token about to "
            + "expire is refreshed first; if that cannot be done, 409 TOKEN_EXPIRED. 409 GRANT_NEEDS_REAUTHORIZATION or "
            + "GRANT_REVOKED when the grant holds no usable token.")
    public CurrentToken token(@PathParam("id") String id) {
        return grants.currentToken(caller.tenantId(), checkedId(id));
    }

    @POST
    @Path("/{id}/refresh")
    @RequiresScope(Scopes.TOKENS_WRITE)
    @Operation(summary = "Refresh now", description = "One upstream refresh now, whatever the schedule; 409 REFRESH_IN_PROGRESS "
            + "when a replica is refreshing it at this moment. The answer shows the outcome (tokenVersion, lastError).")
    public GrantView refresh(@PathParam("id") String id) {
        return grants.forceRefresh(caller.tenantId(), checkedId(id));
    }

    @POST
    @Path("/{id}/revoke")
    @RequiresScope(Scopes.TOKENS_WRITE)
    @Operation(summary = "Revoke a grant", description = "Its tokens are erased and it is no longer refreshed; TokenRevoked. "
            + "Revoking a revoked grant changes nothing.")
    public GrantView revoke(@PathParam("id") String id, @Valid RevokeRequest request) {
        return grants.revoke(caller.tenantId(), checkedId(id), request == null ? null : request.reason());
    }

    private static String checkedId(String id) {
        if (id == null || !id.matches(ID)) {
            throw ProblemException.notFound("GRANT_NOT_FOUND", "No grant with this id exists for this tenant.");
        }
        return id;
    }

    private static GrantStatus status(String status) {
        if (status == null) {
            return null;
        }
        try {
            return GrantStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("STATUS_INVALID", "status must be ACTIVE, NEEDS_REAUTHORIZATION or REVOKED.");
        }
    }
}
