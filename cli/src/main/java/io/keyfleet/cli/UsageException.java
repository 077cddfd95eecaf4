package io.keyfleet.cli;

/** The command line makes no sense; the message says why in one line. Exit code 2. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
