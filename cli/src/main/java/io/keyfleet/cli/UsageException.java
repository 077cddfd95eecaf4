package io.keyfleet.cli;

import java.util.Optional;

/**
 * The command line makes no sense; the message says why in one line. Exit code 2. Errors in a sub-command carry that
 * sub-command's usage, which is shown instead of the pointer to {@code ./keyfleet help}.
 */
final class UsageException extends Exception {

    private final String usage;

    UsageException(String message) {
        this(message, null);
    }

    UsageException(String message, String usage) {
        super(message);
        this.usage = usage;
    }

    Optional<String> usage() {
        return Optional.ofNullable(usage);
    }
}
