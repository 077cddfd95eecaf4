package io.keyfleet.signing.scheme;

/** The parts cannot be signed or checked: something required is missing or unreadable. The message says what. */
public class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message, null, false, false);
    }
}
