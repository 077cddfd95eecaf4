package io.keyfleet.sandbox.admin;

import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/scenarios")
@Tag(name = "Sandbox admin: error scenarios", description = "Make the gateway slow, failing, limited or untrustworthy on demand")
public class ScenarioResource {

    public record CreateScenarioRequest(
            @NotNull ScenarioKind kind,
            String appId,
            @Positive Integer count,
            @Positive Long durationSeconds,
            @PositiveOrZero @Max(600_000) Long delayMillis,
            @Min(500) @Max(599) Integer httpStatus) {
    }

    @Inject
    Scenarios scenarios;

    @POST
    @Operation(summary = "Start an error scenario",
            description = "For one app (appId) or every app; for the next count calls, for durationSeconds, both (whichever ends "
                    + "first) or until deleted. delayMillis for LATENCY and TIMEOUT, httpStatus (5xx) for SERVER_ERROR.")
    public Response create(@Valid @NotNull CreateScenarioRequest request) {
        if (request.httpStatus() != null && request.kind() != ScenarioKind.SERVER_ERROR) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "httpStatus applies to SERVER_ERROR only.");
        }
        if (request.delayMillis() != null && request.kind() != ScenarioKind.LATENCY && request.kind() != ScenarioKind.TIMEOUT) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "delayMillis applies to LATENCY and TIMEOUT only.");
        }
        Scenario created = scenarios.create(request.kind(), request.appId(), request.count(),
                request.durationSeconds() == null ? null : Duration.ofSeconds(request.durationSeconds()), request.delayMillis(),
                request.httpStatus());
        return Response.status(201).entity(created).build();
    }

    @GET
    @Operation(summary = "All scenarios, with how often each was applied")
    public List<Scenario> list() {
        return scenarios.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "End a scenario")
    public Response delete(@PathParam("id") long id) {
        if (!scenarios.delete(id)) {
            throw ProblemException.notFound("SCENARIO_NOT_FOUND", "No scenario " + id + ".");
        }
        return Response.noContent().build();
    }

    @DELETE
    @Operation(summary = "End every scenario")
    public Map<String, Integer> deleteAll() {
        return Map.of("deleted", scenarios.deleteAll());
    }
}
