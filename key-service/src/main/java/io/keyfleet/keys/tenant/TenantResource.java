package io.keyfleet.keys.tenant;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;

@Path("/v1/tenants")
@RequiresScope(Scopes.TENANTS_ADMIN)
public class TenantResource {

    public record CreateTenantRequest(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "must be 2-63 lower-case letters, digits or dashes") String id,
            @NotBlank @Size(max = 200) String name) {
    }

    public record TenantView(String id, String name, Instant createdAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id, tenant.name, tenant.createdAt);
        }
    }

    @Inject
    Tenants tenants;

    @POST
    public Response create(@Valid @NotNull CreateTenantRequest request) {
        Tenant tenant = tenants.create(request.id(), request.name());
        return Response.created(URI.create("/v1/tenants/" + tenant.id)).entity(TenantView.of(tenant)).build();
    }

    @GET
    @Path("/{tenantId}")
    public TenantView get(@PathParam("tenantId") String tenantId) {
        return TenantView.of(tenants.require(tenantId));
    }
}
