package io.keyfleet.cli;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementCommandLineTest {

    private static final String KEY = KeyServiceJson.KEY_ID;
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    private static Command parse(String... arguments) throws UsageException {
        return CommandLine.parse(NO_ENVIRONMENT, arguments);
    }

    private static Command.Manage manage(Map<String, String> environment, String... arguments) throws UsageException {
        return (Command.Manage) CommandLine.parse(environment, arguments);
    }

    private static UsageException refused(String... arguments) {
        return assertThrows(UsageException.class, () -> parse(arguments));
    }

    @Test
    void generateTakesScopeAlgorithmAndPrivateKeyFile() throws UsageException {
        Command.Manage command = manage(NO_ENVIRONMENT, "keys", "generate", "--tenant", "acme", "--provider", "alipay",
                "--app", "2021000000000001", "--env", "sandbox", "--algorithm", "ec-p256", "--private-key-out",
                "app.pem");
        assertEquals(new KeyServiceTarget(Optional.empty(), Optional.of("acme")), command.target());
        assertEquals(new ManagementAction.GenerateKey("alipay", "2021000000000001", "SANDBOX", Optional.of("EC_P256"),
                Optional.of(Path.of("app.pem"))), command.action());
    }

    @Test
    void optionsMayBeJoinedWithEqualsAndComeInAnyOrder() throws UsageException {
        Command.Manage command = manage(NO_ENVIRONMENT, "keys", "generate", "--env=PRODUCTION", "--app=app-1",
                "--provider=wechat", "--tenant=acme");
        assertEquals(new ManagementAction.GenerateKey("wechat", "app-1", "PRODUCTION", Optional.empty(),
                Optional.empty()), command.action());
    }

    @Test
    void theTenantComesFromTheOptionElseTheEnvironment() throws UsageException {
        Map<String, String> environment = Map.of(ManagementCommandLine.TENANT_VARIABLE, "from-env");
        assertEquals(Optional.of("from-env"), manage(environment, "keys", "show", KEY).target().tenant());
        assertEquals(Optional.of("acme"), manage(environment, "keys", "show", KEY, "--tenant", "acme").target().tenant());
    }

    @Test
    void withoutATenantTheUsageOfThatCommandIsShown() {
        UsageException e = refused("keys", "list");
        assertEquals("keys list needs a tenant: --tenant T, or set KEYFLEET_TENANT", e.getMessage());
        assertEquals(Optional.of("Usage: ./keyfleet keys list --tenant T [--provider P] [--app APP_ID]"
                + " [--env sandbox|production] [--url URL]"), e.usage());
    }

    @Test
    void theUrlComesFromTheOptionElseTheEnvironmentElseIsLeftToTheRunFile() throws UsageException {
        Map<String, String> environment = Map.of(ManagementCommandLine.URL_VARIABLE, "http://keys.internal:9000");
        assertEquals(Optional.of(URI.create("http://keys.internal:9000")),
                manage(environment, "keys", "show", KEY, "--tenant", "acme").target().url());
        assertEquals(Optional.of(URI.create("https://keys.example.com/base")),
                manage(environment, "keys", "show", KEY, "--tenant", "acme", "--url", "https://keys.example.com/base")
                        .target().url());
        assertEquals(Optional.empty(), manage(NO_ENVIRONMENT, "keys", "show", KEY, "--tenant", "acme").target().url());
    }

    @Test
    void aUrlMustBeAnHttpAddress() {
        for (String url : new String[] {"localhost:8081", "ftp://host", "http://", "not a url"}) {
            UsageException e = refused("keys", "show", KEY, "--tenant", "acme", "--url", url);
            assertTrue(e.getMessage().startsWith("--url must be key-service's address, such as http://localhost:8081"),
                    e.getMessage());
        }
        UsageException fromEnvironment = assertThrows(UsageException.class, () -> CommandLine.parse(
                Map.of(ManagementCommandLine.URL_VARIABLE, "8081"), "keys", "show", KEY, "--tenant", "acme"));
        assertTrue(fromEnvironment.getMessage().startsWith("KEYFLEET_KEY_SERVICE_URL must be"),
                fromEnvironment.getMessage());
    }

    @Test
    void generateNamesWhatIsMissingOrWrong() {
        assertEquals("missing --provider: the provider, e.g. --provider alipay",
                refused("keys", "generate", "--tenant", "acme", "--app", "a", "--env", "sandbox").getMessage());
        assertEquals("missing --env: the environment: --env sandbox or --env production",
                refused("keys", "generate", "--tenant", "acme", "--provider", "p", "--app", "a").getMessage());
        assertEquals("--env must be sandbox or production, got 'staging'",
                refused("keys", "generate", "--tenant", "acme", "--provider", "p", "--app", "a", "--env", "staging")
                        .getMessage());
        assertEquals("--algorithm must be one of RSA_2048, RSA_3072, RSA_4096, EC_P256, ED25519, got 'DSA'",
                refused("keys", "generate", "--tenant", "acme", "--provider", "p", "--app", "a", "--env", "sandbox",
                        "--algorithm", "DSA").getMessage());
        UsageException unknown = refused("keys", "generate", "--tenant", "acme", "--force");
        assertEquals("unknown option '--force'", unknown.getMessage());
        assertTrue(unknown.usage().orElseThrow().startsWith("Usage: ./keyfleet keys generate --tenant T --provider P"));
    }

    @Test
    void anOptionNeedsAValueAndMayBeGivenOnce() {
        assertEquals("--tenant needs a value", refused("keys", "show", KEY, "--tenant").getMessage());
        assertEquals("--tenant needs a value", refused("keys", "show", KEY, "--tenant", "--url", "http://h").getMessage());
        assertEquals("--tenant is given twice",
                refused("keys", "show", KEY, "--tenant", "a", "--tenant", "b").getMessage());
    }

    @Test
    void rotateAndStageTakeAKeyIdAndOptionallyAnAlgorithmAndAFile() throws UsageException {
        assertEquals(new ManagementAction.RotateKey(UUID.fromString(KEY), Optional.empty(), Optional.empty()),
                manage(NO_ENVIRONMENT, "keys", "rotate", KEY, "--tenant", "acme").action());
        assertEquals(new ManagementAction.StageVersion(UUID.fromString(KEY), Optional.of("RSA_4096"),
                        Optional.of(Path.of("/secure/v3.pem"))),
                manage(NO_ENVIRONMENT, "keys", "stage", "--tenant", "acme", KEY, "--algorithm", "rsa_4096",
                        "--private-key-out", "/secure/v3.pem").action());
    }

    @Test
    void aKeyIdMustLookLikeOne() {
        UsageException e = refused("keys", "rotate", "alipay-key", "--tenant", "acme");
        assertEquals("KEY_ID must be a key id such as 5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f (./keyfleet keys list shows"
                + " them), got 'alipay-key'", e.getMessage());
        assertEquals("missing KEY_ID", refused("keys", "show", "--tenant", "acme").getMessage());
        assertEquals("unexpected argument 'extra'", refused("keys", "show", KEY, "extra", "--tenant", "acme").getMessage());
    }

    @Test
    void promoteTakesAKeyIdAndAVersionNumber() throws UsageException {
        assertEquals(new ManagementAction.PromoteVersion(UUID.fromString(KEY), 3),
                manage(NO_ENVIRONMENT, "keys", "promote", KEY, "3", "--tenant", "acme").action());
        assertEquals("VERSION must be a version number such as 2, got 'latest'",
                refused("keys", "promote", KEY, "latest", "--tenant", "acme").getMessage());
        assertEquals("VERSION must be a version number such as 2, got '0'",
                refused("keys", "promote", KEY, "0", "--tenant", "acme").getMessage());
        assertEquals("missing KEY_ID and VERSION", refused("keys", "promote", KEY, "--tenant", "acme").getMessage());
    }

    @Test
    void listFiltersAreOptional() throws UsageException {
        assertEquals(new ManagementAction.ListKeys(Optional.empty(), Optional.empty(), Optional.empty()),
                manage(NO_ENVIRONMENT, "keys", "list", "--tenant", "acme").action());
        assertEquals(new ManagementAction.ListKeys(Optional.of("alipay"), Optional.of("2021"), Optional.of("PRODUCTION")),
                manage(NO_ENVIRONMENT, "keys", "list", "--tenant", "acme", "--provider", "alipay", "--app", "2021",
                        "--env", "production").action());
    }

    @Test
    void publicKeyIsBase64UnlessPemIsAsked() throws UsageException {
        assertEquals(new ManagementAction.ShowPublicKey(UUID.fromString(KEY), false, Optional.empty()),
                manage(NO_ENVIRONMENT, "keys", "public-key", KEY, "--tenant", "acme").action());
        assertEquals(new ManagementAction.ShowPublicKey(UUID.fromString(KEY), true, Optional.of(2)),
                manage(NO_ENVIRONMENT, "keys", "public-key", KEY, "--tenant", "acme", "--pem", "--version", "2")
                        .action());
        assertEquals("--pem takes no value", refused("keys", "public-key", KEY, "--tenant", "a", "--pem=yes").getMessage());
    }

    @Test
    void tenantsCreateTakesAnIdAndANameAndNoTenant() throws UsageException {
        Command.Manage command = manage(Map.of(ManagementCommandLine.TENANT_VARIABLE, "ignored"),
                "tenants", "create", "acme", "--name", "Acme Corp");
        assertEquals(new ManagementAction.CreateTenant("acme", "Acme Corp"), command.action());
        assertEquals(Optional.empty(), command.target().tenant());
        UsageException noName = refused("tenants", "create", "acme");
        assertEquals("missing --name: a display name, e.g. --name \"Acme Corp\"", noName.getMessage());
        assertEquals(Optional.of("Usage: ./keyfleet tenants create ID --name NAME [--url URL]"), noName.usage());
        assertEquals("unknown tenants command 'delete'; one of: create", refused("tenants", "delete", "x").getMessage());
    }

    @Test
    void helpIsShownForTheGroupAndForEachCommand() throws UsageException {
        assertEquals(new Command.SubcommandHelp(ManagementCommandLine.KEYS_USAGE), parse("keys"));
        assertEquals(new Command.SubcommandHelp(ManagementCommandLine.KEYS_USAGE), parse("keys", "help"));
        assertEquals(new Command.SubcommandHelp("Usage: ./keyfleet keys promote KEY_ID VERSION --tenant T [--url URL]"),
                parse("keys", "promote", "--help"));
        assertEquals(new Command.SubcommandHelp(ManagementCommandLine.TENANTS_USAGE), parse("tenants"));
    }

    @Test
    void anUnknownKeysCommandListsTheKnownOnes() {
        UsageException e = refused("keys", "delete", KEY);
        assertEquals("unknown keys command 'delete'; one of: generate, rotate, stage, promote, list, show, public-key",
                e.getMessage());
        assertEquals(Optional.of(ManagementCommandLine.KEYS_USAGE), e.usage());
    }
}
