package io.keyfleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceEnvironmentTest {

    @Test
    void keyServiceGetsTheSecretsAndEveryCallersKey(@TempDir Path data) {
        LocalSecrets.Values secrets = new LocalSecrets(data).ensure(notice -> { });
        Map<String, String> variables = ServiceEnvironment.of(KeyfleetService.KEY_SERVICE, 8081).secrets(secrets).variables();
        assertEquals("8081", variables.get("QUARKUS_HTTP_PORT"));
        assertEquals(secrets.masterKeyFile().toString(), variables.get("KEYFLEET_MASTER_KEY_FILE"));
        assertEquals(secrets.adminKeyFile().toString(), variables.get("KEYFLEET_ADMIN_KEY_FILE"));
        assertEquals("signing-service:" + secrets.serviceKeys().get("signing-service") + ",token-service:"
                + secrets.serviceKeys().get("token-service") + ",sync-service:" + secrets.serviceKeys().get("sync-service"),
                variables.get("KEYFLEET_SERVICE_KEYS"));
        assertNull(variables.get("KEYFLEET_SERVICE_API_KEY"));
    }

    @Test
    void aGivenAdminKeyReplacesTheAdminKeyFile(@TempDir Path data) {
        LocalSecrets.Values secrets = new LocalSecrets(data).ensure(notice -> { });
        Map<String, String> variables = ServiceEnvironment.of(KeyfleetService.KEY_SERVICE, 8081).secrets(secrets)
                .adminApiKey("kf_admin").variables();
        assertEquals("kf_admin", variables.get("KEYFLEET_ADMIN_API_KEY"));
        assertFalse(variables.containsKey("KEYFLEET_ADMIN_KEY_FILE"));
    }

    @Test
    void aCallingServiceGetsItsOwnKeyOnlyAndTokenServiceItsKeyFile(@TempDir Path data) {
        LocalSecrets.Values secrets = new LocalSecrets(data).ensure(notice -> { });
        Map<String, String> tokens = ServiceEnvironment.of(KeyfleetService.TOKEN_SERVICE, 8083).secrets(secrets).variables();
        assertEquals(secrets.serviceKeys().get("token-service"), tokens.get("KEYFLEET_SERVICE_API_KEY"));
        assertEquals(data.resolve("secrets").resolve("token-encryption.key").toAbsolutePath().toString(),
                tokens.get("KEYFLEET_TOKENS_KEY_FILE"));
        assertNull(tokens.get("KEYFLEET_MASTER_KEY_FILE"));
        assertNull(tokens.get("KEYFLEET_SERVICE_KEYS"));
    }

    @Test
    void syncServiceMayCallExactlyTheSandboxsPortOnLoopback() {
        Map<String, String> sync = ServiceEnvironment.of(KeyfleetService.SYNC_SERVICE, 8084)
                .peer(KeyfleetService.PROVIDER_SANDBOX, URI.create("http://localhost:8090")).variables();
        assertEquals("localhost:8090,127.0.0.1:8090,[::1]:8090", sync.get("KEYFLEET_OUTBOUND_ALLOW"));
        assertEquals("true", sync.get("KEYFLEET_OUTBOUND_ALLOW_HTTP"));
        Map<String, String> tokens = ServiceEnvironment.of(KeyfleetService.TOKEN_SERVICE, 8083)
                .peer(KeyfleetService.PROVIDER_SANDBOX, URI.create("http://localhost:8090")).variables();
        assertEquals("http://localhost:8090", tokens.get("KEYFLEET_GATEWAY_URL"));
        assertFalse(tokens.containsKey("KEYFLEET_OUTBOUND_ALLOW"));
    }

    @Test
    void loopbackOnlyListensAndIsAddressedOn127001() {
        ServiceEnvironment environment = ServiceEnvironment.of(KeyfleetService.KEY_SERVICE, 18081).loopbackOnly();
        assertEquals("127.0.0.1", environment.variables().get("QUARKUS_HTTP_HOST"));
        assertEquals(URI.create("http://127.0.0.1:18081"), environment.baseUrl());
        assertEquals(URI.create("http://localhost:8081"), ServiceEnvironment.of(KeyfleetService.KEY_SERVICE, 8081).baseUrl());
    }
}
