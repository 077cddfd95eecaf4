package io.keyfleet.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns {@code keys ...} and {@code tenants ...} into a {@link Command.Manage}. Options take their value as the next
 * argument or after {@code =}; options and positional arguments may come in any order. The tenant and key-service's
 * address fall back to environment variables; without either, {@link KeyServiceLocation} decides at run time.
 */
final class ManagementCommandLine {

    static final String TENANT_VARIABLE = "KEYFLEET_TENANT";
    static final String URL_VARIABLE = "KEYFLEET_KEY_SERVICE_URL";
    static final List<String> ALGORITHMS = List.of("RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "ED25519");
    static final List<String> ENVIRONMENTS = List.of("SANDBOX", "PRODUCTION");

    private static final String ALGORITHM_CHOICES = String.join("|", ALGORITHMS);
    private static final Pattern KEY_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The usage line of each sub-command, in the order {@code ./keyfleet keys help} shows them. */
    private static final Map<String, String> KEYS_USAGES = new LinkedHashMap<>();

    static {
        KEYS_USAGES.put("generate", "keys generate --tenant T --provider P --app APP_ID --env sandbox|production"
                + " [--algorithm " + ALGORITHM_CHOICES + "] [--private-key-out FILE] [--url URL]");
        KEYS_USAGES.put("rotate", "keys rotate KEY_ID --tenant T [--algorithm A] [--private-key-out FILE] [--url URL]");
        KEYS_USAGES.put("stage", "keys stage KEY_ID --tenant T [--algorithm A] [--private-key-out FILE] [--url URL]");
        KEYS_USAGES.put("promote", "keys promote KEY_ID VERSION --tenant T [--url URL]");
        KEYS_USAGES.put("list", "keys list --tenant T [--provider P] [--app APP_ID] [--env sandbox|production]"
                + " [--url URL]");
        KEYS_USAGES.put("show", "keys show KEY_ID --tenant T [--url URL]");
        KEYS_USAGES.put("public-key", "keys public-key KEY_ID --tenant T [--pem] [--version N] [--url URL]");
    }

    static final String TENANTS_CREATE_USAGE = "tenants create ID --name NAME [--url URL]";

    static final String KEYS_USAGE = String.join(System.lineSeparator(),
            "Usage: ./keyfleet keys COMMAND ...",
            "",
            "  " + usageOf("generate"),
            "        a new key pair; prints the public key (bare base64, to paste into the provider's console) and",
            "        writes the private key to FILE (created 0600, never overwritten) or prints it once",
            "  " + usageOf("rotate"),
            "        replace in one click: the new version signs at once, the old one stays valid for the grace period",
            "  " + usageOf("stage"),
            "  " + usageOf("promote"),
            "        replace in steps: stage a PENDING version, set it up at the provider, then promote it",
            "  " + usageOf("list"),
            "  " + usageOf("show"),
            "  " + usageOf("public-key"),
            "",
            "  T defaults to $" + TENANT_VARIABLE + "; key-service is --url, else $" + URL_VARIABLE
                    + ", else the one a running",
            "  ./keyfleet up started, else " + KeyServiceLocation.DEFAULT_URL + ". A tenant must exist first: "
                    + "./keyfleet " + TENANTS_CREATE_USAGE);

    static final String TENANTS_USAGE = "Usage: ./keyfleet " + TENANTS_CREATE_USAGE;

    private ManagementCommandLine() {
    }

    /** {@code arguments} are what follows {@code keys}. */
    static Command parseKeys(List<String> arguments, Map<String, String> environment) throws UsageException {
        if (arguments.isEmpty() || isHelp(arguments.get(0))) {
            return new Command.SubcommandHelp(KEYS_USAGE);
        }
        String subcommand = arguments.get(0);
        if (!KEYS_USAGES.containsKey(subcommand)) {
            throw new UsageException("unknown keys command '" + subcommand + "'; one of: "
                    + String.join(", ", KEYS_USAGES.keySet()), KEYS_USAGE);
        }
        String usage = "Usage: ./keyfleet " + usageOf(subcommand);
        List<String> rest = arguments.subList(1, arguments.size());
        if (rest.stream().anyMatch(ManagementCommandLine::isHelp)) {
            return new Command.SubcommandHelp(usage);
        }
        Options options = switch (subcommand) {
            case "generate" -> Options.parse(rest, usage, Set.of("--tenant", "--url", "--provider", "--app", "--env",
                    "--algorithm", "--private-key-out"), Set.of());
            case "rotate", "stage" -> Options.parse(rest, usage,
                    Set.of("--tenant", "--url", "--algorithm", "--private-key-out"), Set.of());
            case "list" -> Options.parse(rest, usage, Set.of("--tenant", "--url", "--provider", "--app", "--env"),
                    Set.of());
            case "public-key" -> Options.parse(rest, usage, Set.of("--tenant", "--url", "--version"), Set.of("--pem"));
            default -> Options.parse(rest, usage, Set.of("--tenant", "--url"), Set.of());
        };
        KeyServiceTarget target = new KeyServiceTarget(url(options, environment),
                Optional.of(tenant(options, environment, subcommand)));
        ManagementAction action = switch (subcommand) {
            case "generate" -> {
                options.requirePositionals(0, "");
                yield new ManagementAction.GenerateKey(
                        options.required("--provider", "the provider, e.g. --provider alipay"),
                        options.required("--app", "the app id the provider gave you, e.g. --app 2021000000000001"),
                        environment(options.required("--env", "the environment: --env sandbox or --env production"),
                                usage),
                        algorithm(options, usage), privateKeyOut(options, usage));
            }
            case "rotate" -> {
                options.requirePositionals(1, "KEY_ID");
                yield new ManagementAction.RotateKey(keyId(options.positional(0), usage), algorithm(options, usage),
                        privateKeyOut(options, usage));
            }
            case "stage" -> {
                options.requirePositionals(1, "KEY_ID");
                yield new ManagementAction.StageVersion(keyId(options.positional(0), usage), algorithm(options, usage),
                        privateKeyOut(options, usage));
            }
            case "promote" -> {
                options.requirePositionals(2, "KEY_ID and VERSION");
                yield new ManagementAction.PromoteVersion(keyId(options.positional(0), usage),
                        version(options.positional(1), "VERSION", usage));
            }
            case "list" -> {
                options.requirePositionals(0, "");
                Optional<String> env = options.optional("--env");
                yield new ManagementAction.ListKeys(options.optional("--provider"), options.optional("--app"),
                        env.isPresent() ? Optional.of(environment(env.get(), usage)) : Optional.empty());
            }
            case "show" -> {
                options.requirePositionals(1, "KEY_ID");
                yield new ManagementAction.ShowKey(keyId(options.positional(0), usage));
            }
            case "public-key" -> {
                options.requirePositionals(1, "KEY_ID");
                Optional<String> version = options.optional("--version");
                yield new ManagementAction.ShowPublicKey(keyId(options.positional(0), usage), options.flag("--pem"),
                        version.isPresent() ? Optional.of(version(version.get(), "--version", usage))
                                : Optional.empty());
            }
            default -> throw new IllegalStateException("unhandled keys command " + subcommand);
        };
        return new Command.Manage(target, action);
    }

    /** {@code arguments} are what follows {@code tenants}. */
    static Command parseTenants(List<String> arguments, Map<String, String> environment) throws UsageException {
        if (arguments.isEmpty() || isHelp(arguments.get(0))) {
            return new Command.SubcommandHelp(TENANTS_USAGE);
        }
        if (!arguments.get(0).equals("create")) {
            throw new UsageException("unknown tenants command '" + arguments.get(0) + "'; one of: create",
                    TENANTS_USAGE);
        }
        List<String> rest = arguments.subList(1, arguments.size());
        if (rest.stream().anyMatch(ManagementCommandLine::isHelp)) {
            return new Command.SubcommandHelp(TENANTS_USAGE);
        }
        Options options = Options.parse(rest, TENANTS_USAGE, Set.of("--name", "--url"), Set.of());
        options.requirePositionals(1, "the tenant ID");
        String name = options.required("--name", "a display name, e.g. --name \"Acme Corp\"");
        return new Command.Manage(new KeyServiceTarget(url(options, environment), Optional.empty()),
                new ManagementAction.CreateTenant(options.positional(0), name));
    }

    static String usageOf(String keysSubcommand) {
        return KEYS_USAGES.get(keysSubcommand);
    }

    private static boolean isHelp(String argument) {
        return argument.equals("help") || argument.equals("-h") || argument.equals("--help");
    }

    private static String tenant(Options options, Map<String, String> environment, String subcommand)
            throws UsageException {
        Optional<String> tenant = options.optional("--tenant");
        if (tenant.isPresent()) {
            return tenant.get();
        }
        String fromEnvironment = environment.get(TENANT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        throw new UsageException("keys " + subcommand + " needs a tenant: --tenant T, or set " + TENANT_VARIABLE,
                options.usage);
    }

    private static Optional<URI> url(Options options, Map<String, String> environment) throws UsageException {
        Optional<String> option = options.optional("--url");
        if (option.isPresent()) {
            return Optional.of(httpUrl(option.get(), "--url", options.usage));
        }
        String fromEnvironment = environment.get(URL_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(httpUrl(fromEnvironment.strip(), URL_VARIABLE, options.usage));
        }
        return Optional.empty();
    }

    private static URI httpUrl(String text, String source, String usage) throws UsageException {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException(source + " must be key-service's address, such as " + KeyServiceLocation.DEFAULT_URL
                + ", got '" + text + "'", usage);
    }

    private static String environment(String text, String usage) throws UsageException {
        String normalised = text.toUpperCase(Locale.ROOT);
        if (!ENVIRONMENTS.contains(normalised)) {
            throw new UsageException("--env must be sandbox or production, got '" + text + "'", usage);
        }
        return normalised;
    }

    private static Optional<String> algorithm(Options options, String usage) throws UsageException {
        Optional<String> text = options.optional("--algorithm");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String normalised = text.get().toUpperCase(Locale.ROOT).replace('-', '_');
        if (!ALGORITHMS.contains(normalised)) {
            throw new UsageException("--algorithm must be one of " + String.join(", ", ALGORITHMS) + ", got '"
                    + text.get() + "'", usage);
        }
        return Optional.of(normalised);
    }

    private static Optional<Path> privateKeyOut(Options options, String usage) throws UsageException {
        Optional<String> text = options.optional("--private-key-out");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text.get()));
        } catch (InvalidPathException e) {
            throw new UsageException("--private-key-out is not a valid file name: '" + text.get() + "'", usage);
        }
    }

    private static UUID keyId(String text, String usage) throws UsageException {
        if (!KEY_ID.matcher(text).matches()) {
            throw new UsageException("KEY_ID must be a key id such as 5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f "
                    + "(./keyfleet keys list shows them), got '" + text + "'", usage);
        }
        return UUID.fromString(text);
    }

    private static int version(String text, String name, String usage) throws UsageException {
        try {
            int version = Integer.parseInt(text);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be a version number such as 2, got '" + text + "'", usage);
    }

    /** The options and positional arguments of one sub-command. */
    private static final class Options {

        private final String usage;
        private final Map<String, String> values = new HashMap<>();
        private final Set<String> flags = new HashSet<>();
        private final List<String> positionals = new ArrayList<>();

        private Options(String usage) {
            this.usage = usage;
        }

        static Options parse(List<String> arguments, String usage, Set<String> valued, Set<String> flagNames)
                throws UsageException {
            Options options = new Options(usage);
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                if (!argument.startsWith("--")) {
                    options.positionals.add(argument);
                    continue;
                }
                int equals = argument.indexOf('=');
                String name = equals < 0 ? argument : argument.substring(0, equals);
                if (flagNames.contains(name)) {
                    if (equals >= 0) {
                        throw new UsageException(name + " takes no value", usage);
                    }
                    if (!options.flags.add(name)) {
                        throw new UsageException(name + " is given twice", usage);
                    }
                    continue;
                }
                if (!valued.contains(name)) {
                    throw new UsageException("unknown option '" + name + "'", usage);
                }
                String value;
                if (equals >= 0) {
                    value = argument.substring(equals + 1);
                } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                    value = arguments.get(++i);
                } else {
                    value = "";
                }
                if (value.isBlank()) {
                    throw new UsageException(name + " needs a value", usage);
                }
                if (options.values.putIfAbsent(name, value) != null) {
                    throw new UsageException(name + " is given twice", usage);
                }
            }
            return options;
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(values.get(name));
        }

        String required(String name, String what) throws UsageException {
            String value = values.get(name);
            if (value == null) {
                throw new UsageException("missing " + name + ": " + what, usage);
            }
            return value;
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        String positional(int index) {
            return positionals.get(index);
        }

        void requirePositionals(int count, String what) throws UsageException {
            if (positionals.size() == count) {
                return;
            }
            if (positionals.size() > count) {
                throw new UsageException("unexpected argument '" + positionals.get(count) + "'", usage);
            }
            throw new UsageException("missing " + what, usage);
        }
    }
}
