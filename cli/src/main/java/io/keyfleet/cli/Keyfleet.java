package io.keyfleet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code ./keyfleet}: {@code up}, {@code down}, {@code status}, {@code logs NAME}, {@code keys ...},
 * {@code tenants create}, {@code help}.
 * Exit codes: 0 done, 1 failed, 2 bad command line, 3 ({@code status}) not running, 130 start-up cancelled.
 */
public final class Keyfleet {

    static final int EXIT_USAGE = 2;

    private Keyfleet() {
    }

    public static void main(String[] arguments) {
        quietLibraryLogging();
        System.exit(run(System.out, System.err, arguments));
    }

    /**
     * local-stack logs through {@code System.Logger} (java.util.logging here): only its warnings are shown, one line
     * each. kafka-clients logs through SLF4J, which has no provider on this classpath: nothing, and no note about it.
     */
    private static void quietLibraryLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }

    static int run(PrintStream out, PrintStream err, String... arguments) {
        return run(out, err, System.getenv(), KeyServiceLocation::portOfRunningUp, arguments);
    }

    /**
     * {@code environment} stands in for the process environment ({@code KEYFLEET_TENANT},
     * {@code KEYFLEET_KEY_SERVICE_URL}, {@code KEYFLEET_API_KEY}); {@code portOfRunningUp} tells key-service's port when a {@code ./keyfleet up}
     * runs.
     */
    static int run(PrintStream out, PrintStream err, Map<String, String> environment,
                   Supplier<Optional<Integer>> portOfRunningUp, String... arguments) {
        Command command;
        try {
            command = CommandLine.parse(environment, arguments);
        } catch (UsageException e) {
            err.println("keyfleet: " + e.getMessage());
            err.println(e.usage().orElse("Run ./keyfleet help for usage."));
            return EXIT_USAGE;
        }
        try {
            if (command instanceof Command.Help) {
                out.println(CommandLine.USAGE);
                return 0;
            }
            if (command instanceof Command.SubcommandHelp help) {
                out.println(help.usage());
                return 0;
            }
            if (command instanceof Command.Manage manage) {
                return new ManagementCommands(out, err, portOfRunningUp, () -> KeyServiceLocation.apiKey(environment)).run(manage);
            }
            ProjectLayout layout = ProjectLayout.locate();
            if (command instanceof Command.Up up) {
                return new UpCommand(layout, up.readinessTimeout(), out, err).run();
            }
            if (command instanceof Command.Down) {
                return new DownCommand(layout, out, err).run();
            }
            if (command instanceof Command.Status) {
                return new StatusCommand(layout, out).run();
            }
            if (command instanceof Command.Logs logs) {
                return followLog(layout, logs.component(), out, err);
            }
            throw new IllegalStateException("unhandled command " + command);
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            err.println("keyfleet: " + firstLine(e.getMessage()));
            return 1;
        }
    }

    private static int followLog(ProjectLayout layout, String component, PrintStream out, PrintStream err)
            throws IOException {
        Path log = layout.logOf(component).orElseThrow();
        if (!Files.isRegularFile(log)) {
            err.println("keyfleet: no log for " + component + " yet (" + layout.root().relativize(log)
                    + "); ./keyfleet up writes it");
            return 1;
        }
        new LogFollower(log, out).follow();
        return 0;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected error";
        }
        int lineEnd = message.indexOf('\n');
        return lineEnd < 0 ? message : message.substring(0, lineEnd);
    }
}
