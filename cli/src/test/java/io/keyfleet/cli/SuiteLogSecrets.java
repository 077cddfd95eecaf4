package io.keyfleet.cli;

import io.keyfleet.launcher.LocalSecrets;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * No secret in the suite's logs. A suite IT registers each suite it starts ({@link #watch}) and what its calls send and
 * get back ({@link #harvest}); when the test method (for a suite it started) or the test class (for the class's suite)
 * ends, every log those suites wrote — each service's output, PostgreSQL's and Kafka's logs, and any other registered
 * with {@link #watchLog} — is searched ({@link LogSecretScan}) for every secret the tests saw: those the suite keeps in
 * its data directory (admin key, service keys, master key, audit key, token key, PostgreSQL's password) and those of
 * the calls (private keys, API keys, SecretKeys, pool secrets, authorization codes, access and refresh tokens). One hit
 * fails the test. The ITs run one class at a time, so the registry is this JVM's.
 */
final class SuiteLogSecrets implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** JSON fields whose values are secrets, wherever they appear in a request or an answer. */
    static final Set<String> SECRET_FIELDS = Set.of("privateKeyPem", "privateKey", "apiKey", "secretKey", "secret", "apiSecret",
            "generatedSecret", "accessToken", "refreshToken", "appAuthCode", "authCode");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> secrets = new LinkedHashMap<>();
    private static final List<Path> classDirectories = new ArrayList<>();
    private static final List<Path> methodDirectories = new ArrayList<>();
    private static final List<Path> extraLogs = new ArrayList<>();
    private static boolean inTestMethod;

    /** Registers a started suite: its logs are searched when the test method or class that started it ends. */
    static synchronized RunningSuite watch(Suite definition, RunningSuite suite) {
        List<Path> directories = inTestMethod ? methodDirectories : classDirectories;
        directories.add(definition.logDirectory());
        directories.add(definition.dataDirectory());
        return suite;
    }

    /** Another log to search (a process the test started itself). */
    static synchronized void watchLog(Path log) {
        extraLogs.add(log);
    }

    /** A secret the test made or was given. */
    static synchronized String remember(String what, String secret) {
        if (secret != null && secret.strip().length() >= LogSecretScan.MIN_LENGTH) {
            secrets.putIfAbsent(what + " #" + (secrets.size() + 1), secret);
        }
        return secret;
    }

    /** Remembers the values of the {@link #SECRET_FIELDS} of a JSON request or answer (anything else is ignored). */
    static synchronized void harvest(String json) {
        if (json == null || json.isBlank()) {
            return;
        }
        try {
            collect(JSON.readTree(json));
        } catch (IOException e) {
            // not JSON: nothing to take
        }
    }

    private static void collect(JsonNode node) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (SECRET_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    remember(field.getKey(), field.getValue().asText());
                }
                collect(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(SuiteLogSecrets::collect);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (SuiteLogSecrets.class) {
            inTestMethod = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Path> directories;
        synchronized (SuiteLogSecrets.class) {
            inTestMethod = false;
            directories = List.copyOf(methodDirectories);
            methodDirectories.clear();
        }
        check(directories, List.of());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<Path> directories;
        List<Path> logs;
        synchronized (SuiteLogSecrets.class) {
            directories = List.copyOf(classDirectories);
            logs = List.copyOf(extraLogs);
            classDirectories.clear();
            extraLogs.clear();
        }
        try {
            check(directories, logs);
        } finally {
            synchronized (SuiteLogSecrets.class) {
                secrets.clear();
            }
        }
    }

    private static void check(List<Path> directories, List<Path> moreLogs) {
        Map<String, String> all;
        synchronized (SuiteLogSecrets.class) {
            for (Path directory : directories) {
                kept(directory).forEach(SuiteLogSecrets::remember);
            }
            all = new LinkedHashMap<>(secrets);
        }
        List<Path> logs = new ArrayList<>(moreLogs);
        directories.forEach(directory -> logs.addAll(logsIn(directory)));
        List<Path> existing = logs.stream().distinct().filter(Files::isRegularFile).toList();
        if (existing.isEmpty() || all.isEmpty()) {
            return;
        }
        List<LogSecretScan.Finding> findings = LogSecretScan.scan(all, existing);
        System.out.printf("SuiteLogSecrets: %d secrets searched for in %d logs: %d hits%n", all.size(), existing.size(), findings.size());
        if (!findings.isEmpty()) {
            fail(findings.size() + " log line(s) hold a secret:\n  " + String.join("\n  ", findings.stream().limit(20)
                    .map(LogSecretScan.Finding::toString).toList()));
        }
    }

    /** The secrets a suite keeps in its data directory (LocalSecrets, key-service, token-service, PostgreSQL). */
    static Map<String, String> kept(Path dataDirectory) {
        Map<String, String> kept = new LinkedHashMap<>();
        Path secrets = dataDirectory.resolve("secrets");
        read(secrets.resolve(LocalSecrets.ADMIN_KEY_FILE)).ifPresent(key -> kept.put("the admin API key", key.strip()));
        read(secrets.resolve(LocalSecrets.AUDIT_KEY_FILE)).ifPresent(key -> kept.put("the audit HMAC key", key.strip()));
        read(secrets.resolve("token-encryption.key")).ifPresent(key -> kept.put("the token encryption key", key.strip()));
        read(secrets.resolve(LocalSecrets.MASTER_KEY_FILE)).ifPresent(text -> text.lines().filter(line -> line.contains(":"))
                .forEach(line -> kept.put("master key " + line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip())));
        read(secrets.resolve(LocalSecrets.SERVICE_KEYS_FILE)).ifPresent(text -> text.lines().filter(line -> line.contains(":"))
                .forEach(line -> kept.put("the API key of " + line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip())));
        read(dataDirectory.resolve(Suite.POSTGRES).resolve("superuser.password"))
                .ifPresent(password -> kept.put("PostgreSQL's password", password.strip()));
        return kept;
    }

    /** The logs under a suite's data or log directory: *.log, but not Kafka's topic segments (kraft-logs). */
    static List<Path> logsIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> file.getFileName().toString().endsWith(".log"))
                    .filter(file -> !file.toString().contains("kraft-logs")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    private static java.util.Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
