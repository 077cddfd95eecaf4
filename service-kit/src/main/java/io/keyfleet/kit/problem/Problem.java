package io.keyfleet.kit.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document with a stable, machine-readable {@code code}.
 * {@code detail} tells a person what was wrong and what to do; it never carries secrets.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, String instance,
                      String requestId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(typeUri(code), title, status, detail, code, null, null, List.of());
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, code, instance, requestId, fieldErrors);
    }

    public Problem at(String path, String id) {
        return new Problem(type, title, status, detail, code, path, id, errors);
    }

    static String typeUri(String code) {
        return "https://keyfleet.io/problems/" + code.toLowerCase().replace('_', '-');
    }
}
