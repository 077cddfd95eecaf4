package io.keyfleet.kit.logging;

import io.keyfleet.kit.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * HTTP filters in front of every endpoint: a request id in the log context and the response headers,
 * and a size check that refuses an oversized body with problem+json before anything reads it.
 */
@ApplicationScoped
public class HttpFilters {

    @ConfigProperty(name = "keyfleet.http.max-body-bytes", defaultValue = "1048576")
    long maxBodyBytes;

    /** Endpoints (exact paths) that take larger bodies, up to {@link #largeBodyMaxBytes}; none unless a service names them. */
    @ConfigProperty(name = "keyfleet.http.large-body-paths")
    Optional<Set<String>> largeBodyPaths;

    @ConfigProperty(name = "keyfleet.http.large-body-max-bytes", defaultValue = "1048576")
    long largeBodyMaxBytes;

    void register(@Observes Filters filters) {
        filters.register(this::assignRequestId, 1000);
        filters.register(this::refuseOversizedBody, 900);
    }

    private void assignRequestId(RoutingContext context) {
        String id = RequestIds.acceptOrCreate(context.request().getHeader(RequestIds.HEADER));
        MDC.put(RequestIds.MDC_KEY, id);
        context.response().putHeader(RequestIds.HEADER, id);
        context.addEndHandler(done -> MDC.remove(RequestIds.MDC_KEY));
        context.next();
    }

    private void refuseOversizedBody(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        long limit = largeBodyPaths.isPresent() && largeBodyPaths.get().contains(context.request().path()) ? largeBodyMaxBytes : maxBodyBytes;
        if (length != null && parse(length) > limit) {
            Problem problem = Problem.of(413, "PAYLOAD_TOO_LARGE", "Payload too large",
                            "The request body has " + length + " bytes; the limit is " + limit + " bytes.")
                    .at(context.request().path(), RequestIds.current().orElse(null));
            context.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
                    .end(JsonObject.mapFrom(problem).encode());
            return;
        }
        context.next();
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
