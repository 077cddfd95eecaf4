package io.keyfleet.cli;

/**
 * A command could not do what was asked, for a reason its one-line message gives (never anything secret). Exit code 1.
 */
class CommandFailure extends Exception {

    CommandFailure(String message) {
        super(message);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
