package io.keyfleet.cli;

import io.keyfleet.cli.KeyServiceStub.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.keyfleet.cli.KeyServiceJson.KEY_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The HTTP side of the management commands, against {@link KeyServiceStub} standing in for key-service. */
class KeyServiceClientTest {

    private static final UUID KEY = UUID.fromString(KEY_ID);

    private KeyServiceStub stub;
    private KeyServiceClient client;

    @BeforeEach
    void startStub() throws Exception {
        stub = new KeyServiceStub();
        client = new KeyServiceClient(stub.url(), "acme", "kf_test_key");
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private Received onlyRequest() {
        List<Received> received = stub.received();
        assertEquals(1, received.size(), "requests: " + received);
        return received.get(0);
    }

    @Test
    void generatePostsTheScopeAsJsonForTheTenant() throws Exception {
        stub.answer("POST", "/v1/keys", 201, KeyServiceJson.newVersion(1, "CURRENT"));
        KeyServiceClient.NewVersion created = client.generate("alipay", "2021\"1", "SANDBOX", Optional.of("EC_P256"));

        assertEquals(KEY_ID, created.keyId());
        assertEquals(KeyServiceJson.PRIVATE_KEY_PEM, created.privateKeyPem());
        Received request = onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/v1/keys", request.pathAndQuery());
        assertEquals("acme", request.tenantHeader());
        assertEquals("application/json", request.contentType());
        assertEquals("{\"provider\":\"alipay\",\"appId\":\"2021\\\"1\",\"environment\":\"SANDBOX\","
                + "\"algorithm\":\"EC_P256\"}", request.body());
    }

    @Test
    void generateLeavesTheAlgorithmToKeyServiceWhenNotGiven() throws Exception {
        stub.answer("POST", "/v1/keys", 201, KeyServiceJson.newVersion(1, "CURRENT"));
        client.generate("alipay", "app", "PRODUCTION", Optional.empty());
        assertEquals("{\"provider\":\"alipay\",\"appId\":\"app\",\"environment\":\"PRODUCTION\"}", onlyRequest().body());
    }

    @Test
    void rotateStageAndPromoteUseTheirAddresses() throws Exception {
        stub.answer("POST", "/v1/keys/" + KEY_ID + "/rotate", 200, KeyServiceJson.newVersion(2, "CURRENT"))
                .answer("POST", "/v1/keys/" + KEY_ID + "/versions", 201, KeyServiceJson.newVersion(3, "PENDING"))
                .answer("POST", "/v1/keys/" + KEY_ID + "/versions/3/promote", 200, KeyServiceJson.rotatedKey());

        client.rotate(KEY, Optional.of("RSA_4096"));
        client.rotate(KEY, Optional.empty());
        client.stage(KEY, Optional.empty());
        client.stage(KEY, Optional.of("ED25519"));
        client.promote(KEY, 3);

        List<Received> received = stub.received();
        assertEquals("/v1/keys/" + KEY_ID + "/rotate?algorithm=RSA_4096", received.get(0).pathAndQuery());
        assertEquals("/v1/keys/" + KEY_ID + "/rotate", received.get(1).pathAndQuery());
        assertEquals("", received.get(1).body());
        assertEquals("/v1/keys/" + KEY_ID + "/versions", received.get(2).pathAndQuery());
        assertEquals("{}", received.get(2).body());
        assertEquals("{\"algorithm\":\"ED25519\"}", received.get(3).body());
        assertEquals("/v1/keys/" + KEY_ID + "/versions/3/promote", received.get(4).pathAndQuery());
        received.forEach(request -> assertEquals("acme", request.tenantHeader()));
    }

    @Test
    void listAllFollowsThePagesWithTheFilters() throws Exception {
        String key = KeyServiceJson.rotatedKey();
        String filters = "provider=alipay&appId=a+b%26c&environment=SANDBOX";
        stub.answer("GET", "/v1/keys?" + filters + "&page=0&size=200", 200, KeyServiceJson.page(0, 3, key, key))
                .answer("GET", "/v1/keys?" + filters + "&page=1&size=200", 200, KeyServiceJson.page(1, 3, key));

        List<KeyServiceClient.KeyView> keys = client.listAll(Optional.of("alipay"), Optional.of("a b&c"),
                Optional.of("SANDBOX"));

        assertEquals(3, keys.size());
        assertEquals(2, stub.received().size());
        assertEquals(2, keys.get(0).versions().size());
    }

    @Test
    void thePublicKeyIsAskedForInTheChosenFormat() throws Exception {
        stub.answer("GET", "/v1/keys/" + KEY_ID + "/public-key", 200, "text/plain", KeyServiceJson.PUBLIC_KEY_BASE64);
        assertEquals(KeyServiceJson.PUBLIC_KEY_BASE64, client.publicKey(KEY, false, Optional.empty()));
        client.publicKey(KEY, true, Optional.of(1));
        assertEquals("/v1/keys/" + KEY_ID + "/public-key?format=base64", stub.received().get(0).pathAndQuery());
        assertEquals("/v1/keys/" + KEY_ID + "/public-key?format=pem&version=1", stub.received().get(1).pathAndQuery());
    }

    @Test
    void creatingATenantActsForNoTenant() throws Exception {
        stub.answer("POST", "/v1/tenants", 201, "{\"id\":\"acme\",\"name\":\"Acme\",\"createdAt\":\"2026-05-03T10:00:00Z\"}");
        new KeyServiceClient(stub.url(), null, null).createTenant("acme", "Acme");
        assertNull(onlyRequest().tenantHeader());
        assertEquals("{\"id\":\"acme\",\"name\":\"Acme\"}", onlyRequest().body());
    }

    @Test
    void aProblemBecomesItsDetailAndCodeOnOneLine() {
        stub.refuse("GET", "/v1/keys/" + KEY_ID, 404, "KEY_NOT_FOUND", "No key '" + KEY_ID + "' exists for this tenant.");
        KeyServiceException e = assertThrows(KeyServiceException.class, () -> client.key(KEY));
        assertEquals("No key '" + KEY_ID + "' exists for this tenant. (KEY_NOT_FOUND)", e.getMessage());
        assertEquals(404, e.status());
        assertEquals(Optional.of("KEY_NOT_FOUND"), e.code());
    }

    @Test
    void anAnswerThatIsNoProblemIsDescribedWithoutItsBody() {
        stub.answer("GET", "/v1/keys/" + KEY_ID, 502, "text/html", "<html>Bad gateway</html>");
        KeyServiceException e = assertThrows(KeyServiceException.class, () -> client.key(KEY));
        assertEquals("key-service answered HTTP 502 to GET /v1/keys/" + KEY_ID + " (text/html)", e.getMessage());
        assertEquals(Optional.empty(), e.code());
    }

    @Test
    void anUnreadableSuccessDoesNotQuoteTheBody() {
        stub.answer("POST", "/v1/keys", 201, "{\"privateKeyPem\":\"-----BEGIN PRIVATE KEY-----\\nsecret\", broken");
        KeyServiceException e = assertThrows(KeyServiceException.class,
                () -> client.generate("alipay", "app", "SANDBOX", Optional.empty()));
        assertEquals("key-service's answer to POST /v1/keys (HTTP 201) could not be read", e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains("secret"));
    }

    @Test
    void aClosedPortSaysHowToStartKeyService() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI url = URI.create("http://localhost:" + port);
        KeyServiceException e = assertThrows(KeyServiceException.class,
                () -> new KeyServiceClient(url, "acme", "kf_test_key").key(KEY));
        assertEquals("key-service is not reachable at " + url + "; start it with ./keyfleet up", e.getMessage());
    }

    @Test
    void aBaseUrlWithAPathPrefixKeepsIt() throws Exception {
        stub.answer("GET", "/prefix/v1/keys/" + KEY_ID, 200, KeyServiceJson.rotatedKey());
        new KeyServiceClient(URI.create(stub.url() + "/prefix/"), "acme", "kf_test_key").key(KEY);
        assertEquals("/prefix/v1/keys/" + KEY_ID, onlyRequest().pathAndQuery());
    }
}
