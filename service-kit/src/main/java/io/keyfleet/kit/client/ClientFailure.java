package io.keyfleet.kit.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * What went wrong on a call of a typed client, in the terms a caller decides on: the other service's HTTP status, or 0 when
 * it could not be reached (refused connection, timeout, open circuit breaker), and the {@code code} of its
 * {@code application/problem+json} answer when it gave one. The message names the service and the failure, never a request
 * or response body.
 */
public final class ClientFailure extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final int status;
    /** The problem's {@code code} (e.g. KEY_NOT_FOUND) of an error answer, or null. */
    public final String code;

    private ClientFailure(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** The failure of a call to {@code service}, from what its typed client or the fault-tolerance layer threw. */
    public static ClientFailure of(String service, RuntimeException e) {
        if (e instanceof ClientFailure failure) {
            return failure;
        }
        if (e instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            return new ClientFailure(status, problemCode(web.getResponse()), service + " answered HTTP " + status);
        }
        if (e instanceof ProcessingException || e instanceof FaultToleranceException) {
            return new ClientFailure(0, null, service + " cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
        return new ClientFailure(502, null, service + "'s answer could not be used (" + e.getClass().getSimpleName() + ")");
    }

    /** A 404 the caller concludes from an answer, e.g. an empty one. */
    public static ClientFailure notFound(String message) {
        return new ClientFailure(404, null, message);
    }

    /** The problem's {@code code} of an answer (the typed client buffers an error answer's body), or null. */
    private static String problemCode(Response response) {
        String body;
        try {
            body = response.readEntity(String.class);
        } catch (RuntimeException e) {
            body = response.getEntity() instanceof String text ? text : null; // a response built here, not received
        }
        try {
            JsonNode code = body == null ? null : JSON.readTree(body).path("code");
            return code != null && code.isTextual() ? code.textValue() : null;
        } catch (Exception e) {
            return null; // not a problem: the status says enough
        }
    }

    public boolean notFound() {
        return status == 404;
    }

    /** Nothing answered, or the other side failed (5xx): worth serving from a cache, and worth a 503. */
    public boolean unreachable() {
        return status == 0 || status >= 500;
    }
}
