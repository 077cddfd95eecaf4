package io.keyfleet.kit.problem;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.Instant;

/** A resource as a service would write one, to exercise the shared error mapping. */
@Path("/test/echo")
public class EchoResource {

    public enum Color { RED, GREEN }

    public record EchoRequest(@NotBlank String name, @NotNull @Min(1) Integer count, Color color, Instant at) {
    }

    @POST
    public EchoRequest echo(@Valid @NotNull EchoRequest request) {
        return request;
    }

    @POST
    @Path("/conflict")
    public EchoRequest conflict(EchoRequest request) {
        throw ProblemException.conflict("ALREADY_THERE", "An echo named '" + request.name() + "' exists already.");
    }

    @POST
    @Path("/race")
    public EchoRequest race(EchoRequest request) {
        throw new jakarta.persistence.PersistenceException("could not execute statement",
                new java.sql.SQLException("duplicate key value violates unique constraint", "23505"));
    }

    @POST
    @Path("/unstorable")
    public EchoRequest unstorable(EchoRequest request) {
        throw new jakarta.persistence.PersistenceException("could not execute statement",
                new java.sql.SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
    }

    @POST
    @Path("/boom")
    public EchoRequest boom(EchoRequest request) {
        throw new IllegalStateException("internal detail that must not leak: password=hunter2");
    }
}
