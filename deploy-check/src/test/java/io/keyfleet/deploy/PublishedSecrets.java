package io.keyfleet.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Secret values written in the repository's files: which settings are secret by their names, what of a value is the
 * secret (a list's entries, a JAAS line's password), and service-kit's list of the values the prod profile refuses.
 */
final class PublishedSecrets {

    /** service-kit's list (KnownSecrets): one value a line, # comments. */
    static final String KNOWN = "service-kit/src/main/resources/META-INF/keyfleet/known-secrets.txt";

    /** Environment variables and kustomize literal keys that hold secrets. */
    private static final Pattern SECRET_VARIABLE = Pattern.compile("(?i)(^|[_.-])(PASSWORD|SECRET|TOKEN|KEY|KEYS|JAAS_CONFIG)$");
    /** Configuration properties that hold secrets. */
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            "(?i)(^|[.-])(password|secret|token|api-key|hmac-key|master-keys|encryption-key|service-keys|private-key|jaas\\.config)$");
    private static final Pattern JAAS_PASSWORD = Pattern.compile("\\bpassword\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{[A-Za-z0-9_.]+(?::-?([^}]*))?}");

    private PublishedSecrets() {
    }

    static Set<String> known() {
        return Repo.read(KNOWN).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(PublishedSecrets::normalize).collect(Collectors.toSet());
    }

    static boolean isKnown(Set<String> known, String value) {
        return known.contains(normalize(value));
    }

    static boolean isSecretVariable(String name) {
        return SECRET_VARIABLE.matcher(name).find();
    }

    static boolean isSecretProperty(String name) {
        String unprofiled = name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
        return SECRET_PROPERTY.matcher(unprofiled).find();
    }

    /**
     * The secret values written in a value as it is in a file: a {@code ${VAR:-default}} (or {@code ${VAR:default}})
     * counts by its default; a file path is no secret. {@code NAME:key,NAME:key} lists and {@code <version>:<base64>}
     * master keys give their keys, a JAAS line its password.
     */
    static List<String> writtenSecrets(String setting, String value) {
        List<String> secrets = new ArrayList<>();
        if (value == null) {
            return secrets;
        }
        String literal = EXPRESSION.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
        Matcher jaas = JAAS_PASSWORD.matcher(literal);
        if (jaas.find()) {
            addLiteral(secrets, jaas.group(1));
            return secrets;
        }
        if (setting.toLowerCase().matches(".*(service-keys|service_keys|master-keys|master_keys|encryption-key|tokens_key)$")) {
            for (String entry : literal.split(",")) {
                addLiteral(secrets, entry.substring(entry.indexOf(':') + 1));
            }
        } else {
            addLiteral(secrets, literal);
        }
        return secrets;
    }

    private static void addLiteral(List<String> secrets, String value) {
        String stripped = value.strip();
        if (!stripped.isEmpty() && !stripped.startsWith("/") && !stripped.contains("${")) {
            secrets.add(stripped);
        }
    }

    /** The properties files of the services and service-kit, main and test. */
    static List<Path> propertiesFiles() {
        List<Path> files = new ArrayList<>();
        files.add(Repo.path(ServiceCatalog.KIT_DEFAULTS));
        for (String module : List.of("key-service", "signing-service", "token-service", "sync-service", "provider-sandbox",
                "service-kit", "bench")) {
            for (String kind : List.of("main", "test")) {
                Path file = Repo.path(module + "/src/" + kind + "/resources/application.properties");
                if (java.nio.file.Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    /** Setting to its written secrets, for every secret property of a properties text. */
    static Map<String, List<String>> ofProperties(String text) {
        Map<String, List<String>> found = new java.util.LinkedHashMap<>();
        ConfigNames.properties(text).forEach((key, value) -> {
            if (isSecretProperty(key)) {
                List<String> secrets = writtenSecrets(key, value);
                if (!secrets.isEmpty()) {
                    found.put(key, secrets);
                }
            }
        });
        return found;
    }

    private static String normalize(String value) {
        return value.strip().replaceAll("=+$", "");
    }
}
