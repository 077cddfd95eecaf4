package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns the arguments of {@code ./keyfleet} into a {@link Command}. */
final class CommandLine {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: ./keyfleet COMMAND",
            "",
            "Commands:",
            "  up [--timeout SECONDS]  build what is missing, start PostgreSQL, Kafka, the sandbox and the four",
            "                          services, wait until all are ready (default timeout "
                    + Suite.DEFAULT_READINESS_TIMEOUT.toSeconds() + " s) and stay",
            "                          in the foreground; Ctrl-C stops everything",
            "  down                    stop what ./keyfleet up started (from another terminal)",
            "  status                  show each component with its pid, port and health",
            "  logs NAME               follow the log of a component, one of:",
            "                          " + validLogNames(),
            "  keys COMMAND ...        manage app keys in key-service: generate, rotate, stage, promote, list,",
            "                          show, public-key (./keyfleet keys help shows their options)",
            "  tenants create ID --name NAME",
            "                          create a tenant in key-service (needed before its first key)",
            "  help                    show this text");

    private static final String TIMEOUT_OPTION = "--timeout";

    private CommandLine() {
    }

    static Command parse(String... arguments) throws UsageException {
        return parse(System.getenv(), arguments);
    }

    /** {@code environment} supplies the defaults of {@code keys} and {@code tenants} (tenant, key-service URL). */
    static Command parse(Map<String, String> environment, String... arguments) throws UsageException {
        if (arguments.length == 0) {
            return new Command.Help();
        }
        String command = arguments[0];
        List<String> rest = Arrays.asList(arguments).subList(1, arguments.length);
        switch (command) {
            case "up":
                return parseUp(rest);
            case "down":
                requireNoArguments(command, rest);
                return new Command.Down();
            case "status":
                requireNoArguments(command, rest);
                return new Command.Status();
            case "logs":
                return parseLogs(rest);
            case "keys":
                return ManagementCommandLine.parseKeys(rest, environment);
            case "tenants":
                return ManagementCommandLine.parseTenants(rest, environment);
            case "help":
            case "-h":
            case "--help":
                return new Command.Help();
            default:
                throw new UsageException("unknown command '" + command + "'; commands: up, down, status, logs, keys, tenants,"
                        + " help");
        }
    }

    private static Command.Up parseUp(List<String> arguments) throws UsageException {
        Duration timeout = Suite.DEFAULT_READINESS_TIMEOUT;
        List<String> remaining = new ArrayList<>(arguments);
        while (!remaining.isEmpty()) {
            String argument = remaining.remove(0);
            if (argument.equals(TIMEOUT_OPTION)) {
                if (remaining.isEmpty()) {
                    throw new UsageException(TIMEOUT_OPTION + " needs a number of seconds, e.g. --timeout 180");
                }
                timeout = parseSeconds(remaining.remove(0));
            } else if (argument.startsWith(TIMEOUT_OPTION + "=")) {
                timeout = parseSeconds(argument.substring(TIMEOUT_OPTION.length() + 1));
            } else {
                throw new UsageException("unknown option '" + argument + "' for up; it accepts --timeout SECONDS");
            }
        }
        return new Command.Up(timeout);
    }

    private static Duration parseSeconds(String text) throws UsageException {
        try {
            long seconds = Long.parseLong(text);
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(TIMEOUT_OPTION + " must be a whole number of seconds above 0, got '" + text + "'");
    }

    private static Command.Logs parseLogs(List<String> arguments) throws UsageException {
        if (arguments.size() != 1) {
            throw new UsageException("logs needs exactly one name: " + validLogNames());
        }
        String name = arguments.get(0);
        boolean known = KeyfleetService.byModuleName(name).isPresent()
                || name.equals(Suite.POSTGRES) || name.equals(Suite.KAFKA);
        if (!known) {
            throw new UsageException("unknown service '" + name + "'; valid names: " + validLogNames());
        }
        return new Command.Logs(name);
    }

    private static void requireNoArguments(String command, List<String> arguments) throws UsageException {
        if (!arguments.isEmpty()) {
            throw new UsageException(command + " takes no arguments, got: " + String.join(" ", arguments));
        }
    }

    private static String validLogNames() {
        return KeyfleetService.allModuleNames() + ", " + Suite.POSTGRES + ", " + Suite.KAFKA;
    }
}
