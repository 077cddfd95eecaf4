package io.keyfleet.cli;

import java.util.Optional;

/**
 * key-service refused a request (its problem's {@code detail} and {@code code}), could not be reached, or answered
 * something that cannot be read. The message is one line and never holds a response body.
 */
final class KeyServiceException extends CommandFailure {

    private final int status;
    private final String code;

    KeyServiceException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    KeyServiceException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.code = null;
    }

    /** The HTTP status key-service answered with, or -1 when there was no answer. */
    int status() {
        return status;
    }

    /** The problem's stable code, e.g. {@code KEY_NOT_FOUND}, when key-service gave one. */
    Optional<String> code() {
        return Optional.ofNullable(code);
    }
}
