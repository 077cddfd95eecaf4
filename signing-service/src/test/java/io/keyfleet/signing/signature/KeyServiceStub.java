package io.keyfleet.signing.signature;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for key-service: a small real HTTP server (the JDK's) serving key-service's key-material API
 * ({@code GET /internal/v1/keys/{id}/versions/{v}/material}), its key lookups (by app, and by key id) and its
 * provider-key list and its app-secret material ({@code GET /internal/v1/app-secrets}) in their wire format, so the key cache is tested over real HTTP without starting key-service
 * itself. A request without the bearer service key is refused, as key-service does. The test can stop and restart it.
 */
public class KeyServiceStub implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_KEY = "kf_test_signing-service-key";

    /** One key version key-service holds. */
    public record StubVersion(String keyId, String tenantId, String provider, String appId, String environment, int version,
                              String state, KeyPair pair, Instant validUntil) {
        String publicKey() {
            return KeyServiceStub.publicKey(pair);
        }

        StubVersion withState(String newState, Instant newValidUntil) {
            return new StubVersion(keyId, tenantId, provider, appId, environment, version, newState, pair, newValidUntil);
        }
    }

    /** One version of a provider's public key key-service holds. */
    public record StubProviderVersion(String providerKeyId, String tenantId, String provider, String environment, int version,
                                      String state, KeyPair pair, Instant validUntil) {
    }

    /** One version of an app secret (an AES content key, an HMAC secret) key-service holds. */
    public record StubSecretVersion(String secretId, String tenantId, String provider, String appId, String environment, String type,
                                    int version, String state, byte[] secret, Instant validUntil) {
        boolean usable() {
            return state.equals("CURRENT") || (state.equals("PREVIOUS") && validUntil.isAfter(Instant.now()));
        }
    }

    /** Provider certificates (Alipay certificate mode) by tenant/provider/environment: certificate PEM and root bundle PEM. */
    record StubProviderCertificates(String certificatePem, String rootCertificatePem) {
    }

    static final Map<String, StubProviderCertificates> PROVIDER_CERTIFICATES = new ConcurrentHashMap<>();
    /** App certificates by key id, then key version: PEM. */
    static final Map<String, Map<Integer, String>> APP_CERTIFICATES = new ConcurrentHashMap<>();
    static final AtomicInteger CERTIFICATE_READS = new AtomicInteger();
    static final Map<String, StubVersion> VERSIONS = new ConcurrentHashMap<>();
    static final Map<String, StubSecretVersion> SECRET_VERSIONS = new ConcurrentHashMap<>();
    static final AtomicInteger SECRET_READS = new AtomicInteger();
    static final Map<String, StubProviderVersion> PROVIDER_VERSIONS = new ConcurrentHashMap<>();
    static final AtomicInteger MATERIAL_READS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static HttpServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        startServer(0);
        return Map.of("quarkus.rest-client.key-service.url", "http://127.0.0.1:" + port,
                "keyfleet.auth.service-api-key", SERVICE_KEY);
    }

    @Override
    public void stop() {
        stopServer();
    }

    static synchronized void stopServer() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    static synchronized void startServer(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/", KeyServiceStub::handle);
        server.start();
    }

    static synchronized void restartServer() {
        startServer(port);
    }

    /** A new CURRENT version of a key, as a rotation makes it: the key's CURRENT version becomes PREVIOUS for an hour. */
    public static StubVersion add(String keyId, String tenantId, String provider, String appId, String environment, int version, KeyPair pair) {
        VERSIONS.replaceAll((id, v) -> v.keyId().equals(keyId) && v.state().equals("CURRENT")
                ? v.withState("PREVIOUS", Instant.now().plus(Duration.ofHours(1))) : v);
        StubVersion v = new StubVersion(keyId, tenantId, provider, appId, environment, version, "CURRENT", pair, null);
        VERSIONS.put(keyId + "/" + version, v);
        return v;
    }

    /** A new CURRENT version of an app secret, as a rotation makes it: the CURRENT one becomes PREVIOUS for {@code grace}. */
    public static void addSecret(String secretId, String tenantId, String provider, String appId, String environment, String type,
                                 int version, byte[] secret, Duration grace) {
        SECRET_VERSIONS.replaceAll((id, v) -> v.secretId().equals(secretId) && v.state().equals("CURRENT")
                ? new StubSecretVersion(v.secretId(), v.tenantId(), v.provider(), v.appId(), v.environment(), v.type(), v.version(),
                "PREVIOUS", v.secret(), Instant.now().plus(grace)) : v);
        SECRET_VERSIONS.put(secretId + "/" + version, new StubSecretVersion(secretId, tenantId, provider, appId, environment, type,
                version, "CURRENT", secret.clone(), null));
    }

    /** Ends a PREVIOUS version of an app secret, as key-service's revoke does. */
    public static void retireSecretVersion(String secretId, int version) {
        SECRET_VERSIONS.computeIfPresent(secretId + "/" + version, (id, v) -> new StubSecretVersion(v.secretId(), v.tenantId(),
                v.provider(), v.appId(), v.environment(), v.type(), v.version(), "RETIRED", v.secret(), v.validUntil()));
    }

    /** Revokes the whole key, as key-service does: every version RETIRED. */
    public static void revoke(String keyId) {
        VERSIONS.replaceAll((id, v) -> v.keyId().equals(keyId) ? v.withState("RETIRED", v.validUntil()) : v);
    }

    /** A new CURRENT version of a provider's public key; the CURRENT one becomes PREVIOUS for an hour. */
    static void addProviderKey(String providerKeyId, String tenantId, String provider, String environment, int version, KeyPair pair) {
        PROVIDER_VERSIONS.replaceAll((id, v) -> v.providerKeyId().equals(providerKeyId) && v.state().equals("CURRENT")
                ? new StubProviderVersion(v.providerKeyId(), v.tenantId(), v.provider(), v.environment(), v.version(), "PREVIOUS",
                v.pair(), Instant.now().plus(Duration.ofHours(1))) : v);
        PROVIDER_VERSIONS.put(providerKeyId + "/" + version,
                new StubProviderVersion(providerKeyId, tenantId, provider, environment, version, "CURRENT", pair, null));
    }

    /** SHA-256 hex of the SubjectPublicKeyInfo DER, as key-service computes it. */
    public static String fingerprint(KeyPair pair) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + SERVICE_KEY).equals(auth)) {
                send(exchange, 401, Map.of("code", "UNAUTHENTICATED"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String[] segments = path.split("/");
            if (path.matches("/internal/v1/keys/[^/]+/versions/\\d+/material")) {
                StubVersion v = VERSIONS.get(segments[4] + "/" + segments[6]);
                if (v == null) {
                    send(exchange, 404, Map.of("code", "VERSION_NOT_FOUND"));
                    return;
                }
                if (!v.state().equals("CURRENT") && !v.state().equals("PREVIOUS")) {
                    send(exchange, 409, Map.of("code", "VERSION_NOT_USABLE"));
                    return;
                }
                MATERIAL_READS.incrementAndGet();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("keyId", v.keyId());
                body.put("tenantId", v.tenantId());
                body.put("provider", v.provider());
                body.put("appId", v.appId());
                body.put("environment", v.environment());
                body.put("version", v.version());
                body.put("state", v.state());
                body.put("algorithm", "RSA_2048");
                body.put("fingerprint", fingerprint(v.pair()));
                body.put("publicKey", v.publicKey());
                body.put("privateKeyPkcs8", Base64.getEncoder().encodeToString(v.pair().getPrivate().getEncoded()));
                body.put("validUntil", v.validUntil());
                send(exchange, 200, body);
            } else if (path.equals("/internal/v1/app-secrets")) {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                List<StubSecretVersion> versions = SECRET_VERSIONS.values().stream().filter(v -> v.tenantId().equals(query.get("tenantId"))
                        && v.provider().equals(query.get("provider")) && v.appId().equals(query.get("appId"))
                        && v.environment().equals(query.get("environment")) && v.type().equals(query.get("type")))
                        .sorted(Comparator.comparingInt(StubSecretVersion::version)).toList();
                if (versions.isEmpty()) {
                    send(exchange, 404, Map.of("code", "SECRET_NOT_FOUND"));
                    return;
                }
                SECRET_READS.incrementAndGet();
                StubSecretVersion any = versions.get(0);
                send(exchange, 200, Map.of("secretId", any.secretId(), "tenantId", any.tenantId(), "provider", any.provider(),
                        "appId", any.appId(), "environment", any.environment(), "type", any.type(),
                        "currentVersion", versions.stream().filter(v -> v.state().equals("CURRENT")).mapToInt(StubSecretVersion::version).max().orElse(0),
                        "versions", versions.stream().filter(StubSecretVersion::usable).map(v -> {
                            Map<String, Object> view = new LinkedHashMap<>();
                            view.put("version", v.version());
                            view.put("state", v.state());
                            view.put("validUntil", v.validUntil());
                            view.put("secret", Base64.getEncoder().encodeToString(v.secret()));
                            return view;
                        }).toList()));
            } else if (path.equals("/internal/v1/keys")) {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                sendKey(exchange, VERSIONS.values().stream().filter(v -> v.tenantId().equals(query.get("tenantId"))
                        && v.provider().equals(query.get("provider")) && v.appId().equals(query.get("appId"))
                        && v.environment().equals(query.get("environment"))).toList());
            } else if (path.matches("/internal/v1/keys/[^/]+")) {
                sendKey(exchange, VERSIONS.values().stream().filter(v -> v.keyId().equals(segments[4])).toList());
            } else if (path.equals("/v1/provider-keys")) {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                String tenant = exchange.getRequestHeaders().getFirst("X-Keyfleet-Tenant");
                Map<String, List<StubProviderVersion>> byKey = new TreeMap<>();
                PROVIDER_VERSIONS.values().stream().filter(v -> v.tenantId().equals(tenant) && v.provider().equals(query.get("provider"))
                        && v.environment().equals(query.get("environment")))
                        .forEach(v -> byKey.computeIfAbsent(v.providerKeyId(), id -> new ArrayList<>()).add(v));
                send(exchange, 200, byKey.entrySet().stream().map(key -> Map.of("id", key.getKey(),
                        "provider", key.getValue().get(0).provider(), "environment", key.getValue().get(0).environment(),
                        "currentVersion", key.getValue().stream().filter(v -> v.state().equals("CURRENT")).mapToInt(StubProviderVersion::version).max().orElse(0),
                        "versions", key.getValue().stream().sorted(Comparator.comparingInt(StubProviderVersion::version))
                                .map(v -> versionView(v.version(), v.state(), v.pair(), v.validUntil())).toList())).toList());
            } else if (path.equals("/v1/provider-certificates")) {
                CERTIFICATE_READS.incrementAndGet();
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                String tenant = exchange.getRequestHeaders().getFirst("X-Keyfleet-Tenant");
                StubProviderCertificates held = PROVIDER_CERTIFICATES.get(tenant + "/" + query.get("provider") + "/" + query.get("environment"));
                send(exchange, 200, held == null ? List.of() : List.of(Map.of("id", "pc-" + tenant, "provider", query.get("provider"),
                        "environment", query.get("environment"), "certificatePem", held.certificatePem(),
                        "rootCertificatePem", held.rootCertificatePem())));
            } else if (path.matches("/v1/keys/[^/]+/certificates")) {
                String tenant = exchange.getRequestHeaders().getFirst("X-Keyfleet-Tenant");
                if (VERSIONS.values().stream().noneMatch(v -> v.keyId().equals(segments[3]) && v.tenantId().equals(tenant))) {
                    send(exchange, 404, Map.of("code", "KEY_NOT_FOUND"));
                    return;
                }
                send(exchange, 200, APP_CERTIFICATES.getOrDefault(segments[3], Map.of()).entrySet().stream()
                        .map(e -> Map.of("keyId", segments[3], "keyVersion", e.getKey(), "certificatePem", e.getValue())).toList());
            } else {
                send(exchange, 404, Map.of("code", "NOT_FOUND"));
            }
        }
    }

    private static void sendKey(HttpExchange exchange, List<StubVersion> versions) throws IOException {
        if (versions.isEmpty()) {
            send(exchange, 404, Map.of("code", "KEY_NOT_FOUND"));
            return;
        }
        StubVersion any = versions.get(0);
        send(exchange, 200, Map.of("keyId", any.keyId(), "tenantId", any.tenantId(), "provider", any.provider(),
                "appId", any.appId(), "environment", any.environment(),
                "currentVersion", versions.stream().filter(v -> v.state().equals("CURRENT")).mapToInt(StubVersion::version).max().orElse(0),
                "versions", versions.stream().sorted(Comparator.comparingInt(StubVersion::version))
                        .map(v -> versionView(v.version(), v.state(), v.pair(), v.validUntil())).toList()));
    }

    private static Map<String, Object> versionView(int version, String state, KeyPair pair, Instant validUntil) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", version);
        view.put("state", state);
        view.put("algorithm", "RSA_2048");
        view.put("fingerprint", fingerprint(pair));
        view.put("publicKey", publicKey(pair));
        view.put("canSign", true);
        view.put("validUntil", validUntil);
        return view;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            query.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
