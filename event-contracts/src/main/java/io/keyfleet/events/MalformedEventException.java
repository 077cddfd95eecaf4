package io.keyfleet.events;

/** An event on the wire cannot be read: bad JSON, a missing envelope field, or a payload that does not fit its type. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
