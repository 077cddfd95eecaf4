package io.keyfleet.sandbox.pool;

import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/pools/{memberId}")
@Tag(name = "Sandbox admin: resource pools", description = "Upstream accounts of the resource-pool API and their catalogs")
public class PoolAdminResource {

    public record AccountRequest(
            @NotBlank String apiSecret,
            List<String> authorizedIps,
            @Pattern(regexp = "[A-Z]{3}") String currency,
            BigDecimal balance,
            @DecimalMin("0") BigDecimal creditLimit,
            @PositiveOrZero @Max(10_000_000) Integer catalogSize,
            Long seed) {
    }

    public record ChangeRequest(@NotNull String type, @PositiveOrZero Integer added, @PositiveOrZero Integer changed,
                                @PositiveOrZero Integer removed) {
    }

    @Inject
    PoolCatalog catalog;

    @PUT
    @Operation(summary = "Create or reset an upstream account",
            description = "catalogSize items in all (12 zones, 24 operating systems, the rest shared by the five line types), "
                    + "generated from seed; resetting drops every change made since.")
    public Map<String, Object> put(@PathParam("memberId") String memberId, @Valid @NotNull AccountRequest request) {
        if (!memberId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "memberId: 1-32 letters, digits, '_' or '-'.");
        }
        IpWhitelist ips;
        try {
            ips = IpWhitelist.parse(request.authorizedIps());
        } catch (IpWhitelist.InvalidWhitelistException e) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "authorizedIps: " + e.getMessage());
        }
        PoolAccount account = new PoolAccount(memberId, request.apiSecret(), ips.toStored(),
                request.currency() == null ? "USD" : request.currency(),
                request.balance() == null ? new BigDecimal("1000.00") : request.balance(),
                request.creditLimit() == null ? new BigDecimal("500.00") : request.creditLimit(),
                request.catalogSize() == null ? 1_000 : request.catalogSize(), request.seed() == null ? 7L : request.seed());
        catalog.put(account);
        return Map.of("memberId", memberId, "catalogSize", account.catalogSize(), "seed", account.seed());
    }

    @POST
    @Path("/changes")
    @Operation(summary = "Change the catalog upstream between syncs",
            description = "For one type (its path, e.g. cloud-server-lines): changed items get a new name and a price one unit "
                    + "higher, removed ones disappear, added ones follow the last item. Items no earlier change touched.")
    public PoolCatalog.Changes change(@PathParam("memberId") String memberId, @Valid @NotNull ChangeRequest request) {
        PoolAccount account = catalog.find(memberId)
                .orElseThrow(() -> ProblemException.notFound("POOL_ACCOUNT_NOT_FOUND", "No account " + memberId + "."));
        ResourceType type = ResourceType.ofPath(request.type()).orElseThrow(() -> ProblemException.badRequest("VALIDATION_FAILED",
                "type: one of " + java.util.Arrays.stream(ResourceType.values()).map(ResourceType::path).toList() + "."));
        try {
            return catalog.change(account, type, value(request.added()), value(request.changed()), value(request.removed()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("VALIDATION_FAILED", e.getMessage());
        }
    }

    private static int value(Integer count) {
        return count == null ? 0 : count;
    }
}
