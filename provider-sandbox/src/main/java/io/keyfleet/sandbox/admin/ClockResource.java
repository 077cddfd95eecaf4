package io.keyfleet.sandbox.admin;

import io.keyfleet.sandbox.support.SandboxClock;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/clock")
@Tag(name = "Sandbox admin: clock", description = "Move the sandbox's clock so codes and tokens expire without waiting")
public class ClockResource {

    public record ClockRequest(@NotNull Long offsetSeconds) {
    }

    public record ClockView(Instant now, long offsetSeconds) {
    }

    @Inject
    SandboxClock clock;

    @GET
    public ClockView get() {
        return new ClockView(clock.now(), clock.offset().toSeconds());
    }

    @PUT
    @Operation(summary = "Set the clock offset", description = "The sandbox's now becomes the real time plus offsetSeconds (may be negative); it "
            + "decides every expiry. Kept in memory of this sandbox process.")
    public ClockView set(@Valid @NotNull ClockRequest request) {
        clock.setOffset(Duration.ofSeconds(request.offsetSeconds()));
        return get();
    }

    @DELETE
    @Operation(summary = "Back to real time")
    public ClockView reset() {
        clock.setOffset(Duration.ZERO);
        return get();
    }
}
