package io.keyfleet.kit.client;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * What went wrong on a call of a typed client, in the terms a caller decides on: the other service's HTTP status, or 0 when
 * it could not be reached (refused connection, timeout, open circuit breaker). The message names the service and the
 * failure, never a request or response body.
 */
public final class ClientFailure extends RuntimeException {

    public final int status;

    private ClientFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The failure of a call to {@code service}, from what its typed client or the fault-tolerance layer threw. */
    public static ClientFailure of(String service, RuntimeException e) {
        if (e instanceof ClientFailure failure) {
            return failure;
        }
        if (e instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            return new ClientFailure(status, service + " answered HTTP " + status);
        }
        if (e instanceof ProcessingException || e instanceof FaultToleranceException) {
            return new ClientFailure(0, service + " cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
        return new ClientFailure(502, service + "'s answer could not be used (" + e.getClass().getSimpleName() + ")");
    }

    /** A 404 the caller concludes from an answer, e.g. an empty one. */
    public static ClientFailure notFound(String message) {
        return new ClientFailure(404, message);
    }

    public boolean notFound() {
        return status == 404;
    }

    /** Nothing answered, or the other side failed (5xx): worth serving from a cache, and worth a 503. */
    public boolean unreachable() {
        return status == 0 || status >= 500;
    }
}
