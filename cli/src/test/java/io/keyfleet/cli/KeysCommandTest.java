package io.keyfleet.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.keyfleet.cli.KeyServiceJson.KEY_ID;
import static io.keyfleet.cli.KeyServiceJson.PRIVATE_KEY_PEM;
import static io.keyfleet.cli.KeyServiceJson.PUBLIC_KEY_BASE64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./keyfleet keys ...} and {@code tenants create} run in-process, as {@link Keyfleet#run} does for the script,
 * against {@link KeyServiceStub} standing in for key-service: exit codes, what goes to stdout and stderr, and where a
 * private key ends up.
 */
class KeysCommandTest {

    @TempDir
    Path directory;

    private KeyServiceStub stub;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startStub() throws Exception {
        stub = new KeyServiceStub();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private int run(String... arguments) {
        return run(Map.of(ManagementCommandLine.URL_VARIABLE, stub.url().toString()), Optional::empty, arguments);
    }

    private int run(Map<String, String> environment, Supplier<Optional<Integer>> portOfRunningUp, String... arguments) {
        return Keyfleet.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment, portOfRunningUp, arguments);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generateWritesThePrivateKeyToANewOwnerOnlyFileAndPrintsNoneOfIt() throws Exception {
        stub.answer("POST", "/v1/keys", 201, KeyServiceJson.newVersion(1, "CURRENT"));
        Path file = directory.resolve("alipay-sandbox.pem");

        assertEquals(0, run("keys", "generate", "--tenant", "acme", "--provider", "alipay", "--app", "2021000000000001",
                "--env", "sandbox", "--private-key-out", file.toString()), err());

        assertEquals(PRIVATE_KEY_PEM, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(out().contains("Key id:      " + KEY_ID), out());
        assertTrue(out().contains(System.lineSeparator() + PUBLIC_KEY_BASE64 + System.lineSeparator()), out());
        assertTrue(out().contains("Private key written to " + file), out());
        assertFalse(out().contains("PRIVATE KEY") || err().contains("PRIVATE KEY"), out());
        assertEquals("acme", stub.received().get(0).tenantHeader());
    }

    @Test
    void anExistingFileIsNeverOverwrittenAndNoKeyIsMade() throws Exception {
        Path file = directory.resolve("taken.pem");
        Files.writeString(file, "something precious");

        assertEquals(1, run("keys", "generate", "--tenant", "acme", "--provider", "alipay", "--app", "a", "--env",
                "sandbox", "--private-key-out", file.toString()));

        assertEquals("something precious", Files.readString(file));
        assertEquals("keyfleet: " + file + " already exists; refusing to overwrite it with a private key (choose another"
                + " --private-key-out). Nothing was sent to key-service." + System.lineSeparator(), err());
        assertTrue(stub.received().isEmpty(), "key-service was not asked");
    }

    @Test
    void whenKeyServiceRefusesTheReservedFileGoesAgain() {
        stub.refuse("POST", "/v1/keys", 409, "KEY_EXISTS", "App 'a' already has a SANDBOX key for provider 'alipay';"
                + " rotate it or stage a new version instead.");
        Path file = directory.resolve("new.pem");

        assertEquals(1, run("keys", "generate", "--tenant", "acme", "--provider", "alipay", "--app", "a", "--env",
                "sandbox", "--private-key-out", file.toString()));

        assertEquals("keyfleet: App 'a' already has a SANDBOX key for provider 'alipay'; rotate it or stage a new version"
                + " instead. (KEY_EXISTS)" + System.lineSeparator(), err());
        assertFalse(Files.exists(file), "no empty file left behind");
        assertEquals("", out());
    }

    @Test
    void withoutAFileThePrivateKeyIsPrintedOnceToStandardOutput() {
        stub.answer("POST", "/v1/keys", 201, KeyServiceJson.newVersion(1, "CURRENT"));

        assertEquals(0, run("keys", "generate", "--tenant", "acme", "--provider", "alipay", "--app", "a", "--env",
                "sandbox"));

        assertTrue(out().contains(KeyOutput.PRIVATE_KEY_SHOWN_ONCE + System.lineSeparator()
                + "-----BEGIN PRIVATE KEY-----"), out());
        assertEquals(1, out().split("BEGIN PRIVATE KEY", -1).length - 1);
        assertEquals("", err());
    }

    @Test
    void rotateSaysUntilWhenTheOldVersionStaysValid() throws Exception {
        stub.answer("POST", "/v1/keys/" + KEY_ID + "/rotate", 200, KeyServiceJson.newVersion(2, "CURRENT"))
                .answer("GET", "/v1/keys/" + KEY_ID, 200, KeyServiceJson.rotatedKey());
        Path file = directory.resolve("v2.pem");

        assertEquals(0, run("keys", "rotate", KEY_ID, "--tenant", "acme", "--private-key-out", file.toString()), err());

        assertTrue(out().contains("The old version 1 stays valid until 2026-05-04T10:15:30Z (PREVIOUS)"), out());
        assertEquals(PRIVATE_KEY_PEM, Files.readString(file));
    }

    @Test
    void aRotatedKeyIsKeptEvenWhenTheGraceEndCannotBeRead() throws Exception {
        stub.answer("POST", "/v1/keys/" + KEY_ID + "/rotate", 200, KeyServiceJson.newVersion(2, "CURRENT"))
                .answer("GET", "/v1/keys/" + KEY_ID, 503, "text/plain", "busy");
        Path file = directory.resolve("v2.pem");

        assertEquals(0, run("keys", "rotate", KEY_ID, "--tenant", "acme", "--private-key-out", file.toString()), err());

        assertTrue(out().contains("The old version stays valid for the key's grace period"), out());
        assertEquals(PRIVATE_KEY_PEM, Files.readString(file));
    }

    @Test
    void stageThenPromote() {
        stub.answer("POST", "/v1/keys/" + KEY_ID + "/versions", 201, KeyServiceJson.newVersion(2, "PENDING"))
                .answer("POST", "/v1/keys/" + KEY_ID + "/versions/2/promote", 200, KeyServiceJson.rotatedKey());

        assertEquals(0, run("keys", "stage", KEY_ID, "--tenant", "acme"), err());
        assertTrue(out().contains("./keyfleet keys promote " + KEY_ID + " 2 --tenant acme"), out());
        assertEquals(0, run("keys", "promote", KEY_ID, "2", "--tenant", "acme"), err());
        assertTrue(out().contains("Version 2 of key " + KEY_ID + " is CURRENT"), out());
    }

    @Test
    void listShowAndPublicKeyPrintWhatKeyServiceHas() {
        stub.answer("GET", "/v1/keys", 200, KeyServiceJson.page(0, 1, KeyServiceJson.rotatedKey()))
                .answer("GET", "/v1/keys/" + KEY_ID, 200, KeyServiceJson.rotatedKey())
                .answer("GET", "/v1/keys/" + KEY_ID + "/public-key", 200, "text/plain", PUBLIC_KEY_BASE64);

        assertEquals(0, run("keys", "list", "--tenant", "acme", "--provider", "alipay"), err());
        assertTrue(out().contains(KEY_ID + "  alipay    2021000000000001  sandbox  RSA_2048   v2       v1 PREVIOUS, "
                + "v2 CURRENT"), out());
        out.reset();
        assertEquals(0, run("keys", "show", KEY_ID, "--tenant", "acme"), err());
        assertTrue(out().contains("2        CURRENT   RSA_2048   yes"), out());
        out.reset();
        assertEquals(0, run("keys", "public-key", KEY_ID, "--tenant", "acme"), err());
        assertEquals(PUBLIC_KEY_BASE64 + System.lineSeparator(), out());
    }

    @Test
    void aRefusalIsOneLineWithItsCodeAndExitsWithOne() {
        stub.refuse("GET", "/v1/keys/" + KEY_ID, 404, "KEY_NOT_FOUND", "No key '" + KEY_ID + "' exists for this tenant.");

        assertEquals(1, run("keys", "show", KEY_ID, "--tenant", "acme"));

        assertEquals("keyfleet: No key '" + KEY_ID + "' exists for this tenant. (KEY_NOT_FOUND)"
                + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    void anUnknownTenantGetsTheCommandThatCreatesIt() {
        stub.refuse("GET", "/v1/keys", 404, "TENANT_NOT_FOUND",
                "No tenant 'acme' exists; create it first with POST /v1/tenants.");

        assertEquals(1, run("keys", "list", "--tenant", "acme"));

        assertEquals("keyfleet: No tenant 'acme' exists; create it first with POST /v1/tenants. (TENANT_NOT_FOUND)"
                + System.lineSeparator() + "Create it with: ./keyfleet tenants create acme --name NAME"
                + System.lineSeparator(), err());
    }

    @Test
    void tenantsCreate() {
        stub.answer("POST", "/v1/tenants", 201, "{\"id\":\"acme\",\"name\":\"Acme Corp\",\"createdAt\":\"2026-05-03T10:00:00Z\"}");
        assertEquals(0, run("tenants", "create", "acme", "--name", "Acme Corp"), err());
        assertTrue(out().startsWith("Created tenant acme (Acme Corp)."), out());
    }

    @Test
    void wrongUsageExitsWithTwoAndTheUsageOfThatCommand() {
        assertEquals(2, run("keys", "rotate", "--tenant", "acme"));
        assertEquals("keyfleet: missing KEY_ID" + System.lineSeparator()
                + "Usage: ./keyfleet keys rotate KEY_ID --tenant T [--algorithm A] [--private-key-out FILE] [--url URL]"
                + System.lineSeparator(), err());
        assertTrue(stub.received().isEmpty());
    }

    @Test
    void withoutUrlTheKeyServiceOfARunningUpIsUsed() {
        stub.answer("GET", "/v1/keys/" + KEY_ID + "/public-key", 200, "text/plain", PUBLIC_KEY_BASE64);
        assertEquals(0, run(Map.of(ManagementCommandLine.TENANT_VARIABLE, "acme"),
                () -> Optional.of(stub.url().getPort()), "keys", "public-key", KEY_ID), err());
        assertEquals("acme", stub.received().get(0).tenantHeader());
    }
}
