package io.keyfleet.kit.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into problem+json. Bad input becomes a 4xx that says which field was wrong and how;
 * anything unexpected becomes a 500 that shows only a request id, while the stack trace stays in the log.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return ProblemResponses.of(e.problem(), request);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(err -> err.field() + " " + err.message()).collect(Collectors.joining("; "));
        Problem problem = Problem.of(400, "VALIDATION_FAILED", "Invalid request", detail).withErrors(errors);
        return ProblemResponses.of(problem, request);
    }

    // Quarkus REST ships mappers for some Jackson subtypes; the most specific mapper wins, so each is named here.
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, UnrecognizedPropertyException.class})
    public Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
        return ProblemResponses.of(describeJsonProblem(e), request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return ProblemResponses.of(describeJsonProblem(json), request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Request failed" : known.getReasonPhrase();
        String code = known == null ? "HTTP_" + status : known.name();
        return ProblemResponses.of(Problem.of(status, code, title, detailFor(status, e)), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (isConcurrentChange(e)) {
            // two requests raced for the same row (a unique key or a lock): the loser did nothing and may retry
            return ProblemResponses.of(Problem.of(409, "CONCURRENT_CHANGE", "Conflict",
                    "Another request changed the same thing at the same moment and nothing was changed by this one; "
                            + "read the resource again and retry if still needed."), request);
        }
        if (isUnstorableText(e)) {
            // a last line of defence: inputs should be checked before they reach the database
            return ProblemResponses.of(Problem.of(400, "INVALID_CHARACTER", "Invalid character",
                    "A text field contains a character that cannot be stored (such as U+0000); remove it and send the "
                            + "request again."), request);
        }
        LOG.errorf(e, "Unexpected failure on %s %s", request == null ? "?" : request.method(), request == null ? "?" : request.path());
        Problem problem = Problem.of(500, "INTERNAL_ERROR", "Internal error",
                "An unexpected error occurred and nothing was changed by it; if it persists, report the request id.");
        return ProblemResponses.of(problem, request);
    }

    /** PostgreSQL's unique_violation and lock_not_available, anywhere in the cause chain. */
    static boolean isConcurrentChange(Throwable e) {
        return hasSqlState(e, "23505", "55P03");
    }

    /** PostgreSQL's character_not_in_repertoire (a NUL character in text) and untranslatable_character. */
    static boolean isUnstorableText(Throwable e) {
        return hasSqlState(e, "22021", "22P05");
    }

    private static boolean hasSqlState(Throwable e, String... states) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && java.util.List.of(states).contains(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    static Problem describeJsonProblem(JsonProcessingException e) {
        if (e instanceof JsonParseException parse) {
            String where = parse.getLocation() == null ? ""
                    : " (line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr() + ")";
            return Problem.of(400, "MALFORMED_JSON", "Malformed JSON", "The request body is not valid JSON" + where + ".");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return Problem.of(400, "UNKNOWN_FIELD", "Unknown field",
                    "The field '" + unknown.getPropertyName() + "' is not part of this request.");
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            String expected = mismatch.getTargetType() == null ? "another type" : describeType(mismatch.getTargetType());
            String detail = field.isEmpty()
                    ? "The request body has the wrong shape: expected " + expected + "."
                    : "The field '" + field + "' must be " + expected + ".";
            if (mismatch instanceof InvalidFormatException && mismatch.getTargetType() != null && mismatch.getTargetType().isEnum()) {
                detail += " Allowed values: " + java.util.Arrays.toString(mismatch.getTargetType().getEnumConstants()) + ".";
            }
            return Problem.of(400, "INVALID_FIELD_TYPE", "Invalid field type", detail)
                    .withErrors(field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, "must be " + expected)));
        }
        return Problem.of(400, "MALFORMED_JSON", "Malformed JSON", "The request body could not be read as JSON.");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describeType(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of the allowed values";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 timestamp such as 2026-01-31T12:00:00Z";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration such as PT24H";
        }
        return "a JSON object";
    }

    private static String detailFor(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "No resource exists at this address.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "The requested media type cannot be produced; ask for application/json.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the body as application/json.";
            default -> e.getMessage() == null ? "The request could not be processed." : e.getMessage();
        };
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // "create.request.name" -> "name": drop the method and parameter names of the resource method
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : parts[parts.length - 1];
    }
}
