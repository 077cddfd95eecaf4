package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider-dashboard flow from a terminal, against the real key-service (with PostgreSQL and Kafka) started through
 * {@link Suite} on free ports: the commands run in-process through {@link Keyfleet#run}, as the script runs them.
 * Needs key-service's {@code target/quarkus-app/quarkus-run.jar}: the reactor builds it before this module.
 */
@ExtendWith(SuiteLogSecrets.class)
class KeysCommandIT {

    private static final Pattern KEY_ID_LINE = Pattern.compile("(?m)^Key id:\\s+([0-9a-f-]{36})$");
    private static final Pattern BASE64_LINE = Pattern.compile("(?m)^(MI[A-Za-z0-9+/=]{100,})$");
    private static final Pattern VALID_UNTIL = Pattern.compile(
            "The old version 1 stays valid until (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ) \\(PREVIOUS\\)");

    @TempDir
    static Path dataDirectory;

    private static RunningSuite suite;
    private static String url;
    private static String adminApiKey;

    @BeforeAll
    static void startKeyService() {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(KeyfleetService.KEY_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        suite = SuiteLogSecrets.watch(definition, definition.start());
        url = suite.baseUrl(KeyfleetService.KEY_SERVICE).toString();
        adminApiKey = definition.adminApiKey().orElseThrow();
    }

    @AfterAll
    static void stopKeyService() {
        if (suite != null) {
            suite.stop();
        }
    }

    /** What one command printed and how it exited. */
    private record Result(int exitCode, String out, String err) {
    }

    /** Runs {@code ./keyfleet ARGUMENTS --url <key-service>} with only the admin's API key in the environment. */
    private static Result keyfleet(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> withUrl = new ArrayList<>(Arrays.asList(arguments));
        withUrl.add("--url");
        withUrl.add(url);
        int exitCode = Keyfleet.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("KEYFLEET_API_KEY", adminApiKey), Optional::empty,
                withUrl.toArray(String[]::new));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result succeeds(String... arguments) {
        Result result = keyfleet(arguments);
        assertEquals(0, result.exitCode(), String.join(" ", arguments) + " failed: " + result.err());
        assertEquals("", result.err(), String.join(" ", arguments));
        return result;
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), pattern + " in:\n" + text);
        return matcher.group(1);
    }

    @Test
    void generateListRotateShowAndDownloadTheKeyOfAnApp(@TempDir Path keys) throws Exception {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String app = "2021000000000001";

        Result created = succeeds("tenants", "create", tenant, "--name", "CLI journey");
        assertTrue(created.out().startsWith("Created tenant " + tenant + " (CLI journey)."), created.out());

        // generate: the private key goes to a new 0600 file, the bare base64 public key to the terminal
        Path privateKey = keys.resolve("alipay-sandbox.pem");
        Result generated = succeeds("keys", "generate", "--tenant", tenant, "--provider", "alipay", "--app", app,
                "--env", "sandbox", "--private-key-out", privateKey.toString());
        String keyId = group(KEY_ID_LINE, generated.out());
        String firstPublicKey = group(BASE64_LINE, generated.out());
        assertTrue(generated.out().contains("Version:     1 (CURRENT)"), generated.out());
        assertTrue(generated.out().contains("Algorithm:   RSA_2048"), generated.out());
        assertTrue(Pattern.compile("(?m)^Fingerprint: [0-9a-f]{64}$").matcher(generated.out()).find(), generated.out());
        assertFalse(generated.out().contains("PRIVATE KEY"), "the private key went to the file only");
        String pem = SuiteLogSecrets.remember("the generated private key", Files.readString(privateKey));
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n") && pem.endsWith("-----END PRIVATE KEY-----\n"), pem
                .lines().findFirst().orElse(""));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));

        // a second generate into the same file is refused before key-service is asked
        Result overwrite = keyfleet("keys", "generate", "--tenant", tenant, "--provider", "alipay", "--app", "other",
                "--env", "sandbox", "--private-key-out", privateKey.toString());
        assertEquals(1, overwrite.exitCode());
        assertTrue(overwrite.err().contains("already exists; refusing to overwrite it"), overwrite.err());
        assertEquals(pem, Files.readString(privateKey));

        Result listed = succeeds("keys", "list", "--tenant", tenant);
        assertTrue(Pattern.compile("(?m)^" + keyId + "\\s+alipay\\s+" + app + "\\s+sandbox\\s+RSA_2048\\s+v1\\s+v1 CURRENT$")
                .matcher(listed.out()).find(), listed.out());
        assertEquals(2, listed.out().lines().count(), "a header and the one key: " + listed.out());

        // rotate without a file: the new private key is printed once, and the old version's grace end is named
        Result rotated = succeeds("keys", "rotate", keyId, "--tenant", tenant);
        assertTrue(rotated.out().startsWith("Rotated key " + keyId + ": version 2 is CURRENT"), rotated.out());
        String graceEnd = group(VALID_UNTIL, rotated.out());
        assertTrue(rotated.out().contains(KeyOutput.PRIVATE_KEY_SHOWN_ONCE + System.lineSeparator()
                + "-----BEGIN PRIVATE KEY-----"), "the private key, once");
        assertEquals(1, rotated.out().split("BEGIN PRIVATE KEY", -1).length - 1);
        SuiteLogSecrets.remember("the rotated private key", rotated.out().substring(rotated.out().indexOf("-----BEGIN PRIVATE KEY-----"),
                rotated.out().indexOf("-----END PRIVATE KEY-----")));
        String secondPublicKey = group(BASE64_LINE, rotated.out());
        assertFalse(secondPublicKey.equals(firstPublicKey), "a new key pair");

        Result shown = succeeds("keys", "show", keyId, "--tenant", tenant);
        assertTrue(shown.out().contains("Current:     version 2"), shown.out());
        assertTrue(shown.out().contains("Policy:      grace period 24h, no automatic rotation"), shown.out());
        assertTrue(Pattern.compile("(?m)^1\\s+PREVIOUS\\s+RSA_2048\\s+yes\\s+\\S+\\s+\\S+\\s+" + graceEnd + "\\s")
                .matcher(shown.out()).find(), shown.out());
        assertTrue(Pattern.compile("(?m)^2\\s+CURRENT\\s+RSA_2048\\s+yes\\s").matcher(shown.out()).find(), shown.out());
        assertEquals(2, shown.out().lines().filter(line -> line.matches("^\\d+\\s+(PREVIOUS|CURRENT)\\s.*")).count(),
                shown.out());

        Result base64 = succeeds("keys", "public-key", keyId, "--tenant", tenant);
        assertEquals(secondPublicKey + System.lineSeparator(), base64.out());
        Result pemPublicKey = succeeds("keys", "public-key", keyId, "--tenant", tenant, "--pem");
        assertTrue(pemPublicKey.out().startsWith("-----BEGIN PUBLIC KEY-----"), pemPublicKey.out());
        Result oldVersion = succeeds("keys", "public-key", keyId, "--tenant", tenant, "--version", "1");
        assertEquals(firstPublicKey + System.lineSeparator(), oldVersion.out());

        // staged replace: version 3 PENDING, then CURRENT
        Path staged = keys.resolve("v3.pem");
        Result stage = succeeds("keys", "stage", keyId, "--tenant", tenant, "--private-key-out", staged.toString());
        assertTrue(stage.out().startsWith("Staged version 3 of key " + keyId + " as PENDING"), stage.out());
        assertTrue(SuiteLogSecrets.remember("the staged private key", Files.readString(staged)).startsWith("-----BEGIN PRIVATE KEY-----"));
        Result promoted = succeeds("keys", "promote", keyId, "3", "--tenant", tenant);
        assertTrue(promoted.out().startsWith("Version 3 of key " + keyId + " is CURRENT"), promoted.out());
        assertTrue(promoted.out().contains("The old version 2 stays valid until "), promoted.out());
    }

    @Test
    void anUnknownKeyIsRefusedWithItsCode() {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        succeeds("tenants", "create", tenant, "--name", "CLI errors");
        String unknown = UUID.randomUUID().toString();

        Result result = keyfleet("keys", "show", unknown, "--tenant", tenant);

        assertEquals(1, result.exitCode());
        assertEquals("keyfleet: No key '" + unknown + "' exists for this tenant. (KEY_NOT_FOUND)"
                + System.lineSeparator(), result.err());
        assertEquals("", result.out());
    }

    @Test
    void aKeyForATenantThatDoesNotExistSaysHowToCreateIt(@TempDir Path keys) {
        Path privateKey = keys.resolve("never.pem");
        Result result = keyfleet("keys", "generate", "--tenant", "no-such-tenant", "--provider", "alipay", "--app",
                "2021000000000001", "--env", "sandbox", "--private-key-out", privateKey.toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("keyfleet: No tenant 'no-such-tenant' exists"), result.err());
        assertTrue(result.err().contains("(TENANT_NOT_FOUND)" + System.lineSeparator()
                + "Create it with: ./keyfleet tenants create no-such-tenant --name NAME"), result.err());
        assertFalse(Files.exists(privateKey), "no file for a key that was not made");
    }
}
