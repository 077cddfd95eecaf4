package io.keyfleet.kit.problem;

import io.keyfleet.kit.logging.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;

/** Builds problem+json responses stamped with the request path and request id. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(Problem problem, HttpServerRequest request) {
        Problem stamped = problem.at(request == null ? null : request.path(), RequestIds.current().orElse(null));
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(stamped).build();
    }
}
