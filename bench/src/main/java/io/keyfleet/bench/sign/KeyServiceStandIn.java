package io.keyfleet.bench.sign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Stands in for key-service's key-material, provider-key and credential-verification APIs (in key-service's wire
 * format) with one app key, one provider key and one caller credential, inside the benchmark's JVM. signing-service
 * verifies the benchmark's API key here once and then from its verification cache, as it does with key-service. signing-service asks it once per key version and then signs from memory, so
 * the benchmark measures signing-service, not key-service; a real key-service would add nothing to the figures.
 */
final class KeyServiceStandIn implements AutoCloseable {

    static final String KEY_ID = "6f1c2d3e-0000-4000-8000-00000000be01";
    static final String PROVIDER_KEY_ID = "6f1c2d3e-0000-4000-8000-00000000be02";
    static final String SERVICE_KEY = "kf_test_bench-signing-service";
    /** The API key the benchmark's clients call signing-service with. */
    static final String CALLER_KEY = "kf_test_bench-caller";
    private static final String CALLER_CREDENTIAL_ID = "6f1c2d3e-0000-4000-8000-00000000be03";

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();

    KeyServiceStandIn(String tenant, String appId, KeyPair appKey, KeyPair providerKey) {
        String appPublic = Base64.getEncoder().encodeToString(appKey.getPublic().getEncoded());
        String providerPublic = Base64.getEncoder().encodeToString(providerKey.getPublic().getEncoded());
        Map<String, Object> version = Map.of("version", 1, "state", "CURRENT", "publicKey", appPublic, "canSign", true,
                "fingerprint", "0".repeat(64));
        Map<String, Object> summary = Map.of("keyId", KEY_ID, "tenantId", tenant, "provider", "alipay", "appId", appId,
                "environment", "SANDBOX", "currentVersion", 1, "versions", List.of(version));
        Map<String, Object> material = Map.ofEntries(Map.entry("keyId", KEY_ID), Map.entry("tenantId", tenant),
                Map.entry("provider", "alipay"), Map.entry("appId", appId), Map.entry("environment", "SANDBOX"),
                Map.entry("version", 1), Map.entry("state", "CURRENT"), Map.entry("algorithm", "RSA_2048"),
                Map.entry("fingerprint", "0".repeat(64)), Map.entry("publicKey", appPublic),
                Map.entry("privateKeyPkcs8", Base64.getEncoder().encodeToString(appKey.getPrivate().getEncoded())));
        List<Object> providerKeys = List.of(Map.of("id", PROVIDER_KEY_ID, "provider", "alipay", "environment", "SANDBOX",
                "currentVersion", 1, "versions", List.of(Map.of("version", 1, "state", "CURRENT", "publicKey", providerPublic,
                        "fingerprint", "1".repeat(64)))));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!("Bearer " + SERVICE_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    send(exchange, 401, Map.of("code", "UNAUTHENTICATED"));
                } else if (path.equals("/internal/v1/keys")) {
                    send(exchange, 200, summary);
                } else if (path.equals("/internal/v1/keys/" + KEY_ID + "/versions/1/material")) {
                    send(exchange, 200, material);
                } else if (path.equals("/v1/provider-keys")) {
                    send(exchange, 200, providerKeys);
                } else if (path.equals("/v1/credentials/verify")) {
                    boolean caller = CALLER_KEY.equals(json.readTree(exchange.getRequestBody()).path("apiKey").asText());
                    send(exchange, 200, caller
                            ? Map.of("valid", true, "code", "VALID", "message", "The credential is valid.", "credentialId",
                                    CALLER_CREDENTIAL_ID, "tenantId", tenant, "scopes", List.of("signing:sign", "signing:verify"))
                            : Map.of("valid", false, "code", "NOT_FOUND", "message", "No credential matches this API key."));
                } else {
                    send(exchange, 404, Map.of("code", "NOT_FOUND"));
                }
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
