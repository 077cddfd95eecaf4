package io.keyfleet.cli;

import java.time.Duration;

/** What the user asked {@code ./keyfleet} to do; made by {@link CommandLine#parse(String...)}. */
sealed interface Command {

    /** Start everything and supervise it until Ctrl-C, SIGTERM or {@code ./keyfleet down}. */
    record Up(Duration readinessTimeout) implements Command {
    }

    /** Stop a running {@code up} from another terminal. */
    record Down() implements Command {
    }

    /** Show each component with its pid, port and health. */
    record Status() implements Command {
    }

    /** Follow the log of one component: a service's module name, {@code postgres} or {@code kafka}. */
    record Logs(String component) implements Command {
    }

    /** Print the usage. */
    record Help() implements Command {
    }

    /** Print the usage of one group of commands or one sub-command, e.g. {@code ./keyfleet keys generate --help}. */
    record SubcommandHelp(String usage) implements Command {
    }

    /** A call to key-service's management API: {@code keys ...} or {@code tenants create}. */
    record Manage(KeyServiceTarget target, ManagementAction action) implements Command {
    }
}
