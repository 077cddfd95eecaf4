package io.keyfleet.sync;

import io.keyfleet.keys.api.PoolSecretApi;
import io.keyfleet.keys.stub.KeyServiceStub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two services sync-service talks to, over real HTTP, for sync-service's own tests: key-service's pool-secret API (key-service-stub)
 * and provider-sandbox's resource-pool API (same paths, same RequestSignature check, same paging and error answers).
 * Both are separate Quarkus applications that cannot start inside this test; the real ones are exercised end to end
 * by the cli module's PoolSyncSuiteIT. This stand-in keeps the catalog in memory so a test can change it at will.
 */
public final class UpstreamWorld implements AutoCloseable {

    public record Item(String id, String name, String zoneId, String spec, BigDecimal price) {
    }

    /**
     * What the next page calls meet, in order: a 429 for n seconds, a status code, a delay, a malformed body, a redirect
     * to a loopback port, or nothing.
     */
    public record Trouble(String kind, long value) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> TYPES = List.of("zones", "operating-systems", "cloud-server-lines", "hosting-lines",
            "hosting-power-options", "bare-metal-lines", "bare-metal-disk-models");

    private final HttpServer server;
    private final Map<String, String> secretsByMember = new ConcurrentHashMap<>();
    private final KeyServiceStub keyService = new KeyServiceStub().serve(null, 0);
    private final Map<String, NavigableMap<String, Item>> catalog = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Trouble> troubles = new ConcurrentLinkedDeque<>();
    private final AtomicInteger pageCalls = new AtomicInteger();
    private volatile long accountDelayMillis;
    private volatile String accountRedirect;

    public UpstreamWorld() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/pool-api/v1/", this::poolApi);
        server.start();
        TYPES.forEach(type -> catalog.put(type, new ConcurrentSkipListMap<>()));
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void member(String memberId, String secret) {
        secretsByMember.put(memberId, secret);
    }

    /** n items of each line type, 3 zones and 4 operating systems. */
    public void generate(int linesPerType) {
        for (String type : TYPES) {
            int count = type.equals("zones") ? 3 : type.equals("operating-systems") ? 4 : linesPerType;
            for (int i = 0; i < count; i++) {
                put(type, i, "Item " + i, new BigDecimal(10 + i % 90 + ".50"));
            }
        }
    }

    /** An empty catalog and no pending trouble. */
    public void reset() {
        catalog.values().forEach(Map::clear);
        troubles.clear();
        accountDelayMillis = 0;
        accountRedirect = null;
    }

    public void put(String type, int index, String name, BigDecimal price) {
        String id = type.substring(0, 2) + "-" + String.format("%07d", index);
        catalog.get(type).put(id, new Item(id, name, type.contains("line") ? "zo-0000001" : null, "spec", price));
    }

    public void remove(String type, int index) {
        catalog.get(type).remove(type.substring(0, 2) + "-" + String.format("%07d", index));
    }

    public int size(String type) {
        return catalog.get(type).size();
    }

    public void trouble(String kind, long value) {
        troubles.add(new Trouble(kind, value));
    }

    /** The next {@code calls} page calls (after the troubles already queued) are answered normally. */
    public void noTrouble(int calls) {
        for (int i = 0; i < calls; i++) {
            troubles.add(new Trouble("NONE", 0));
        }
    }

    public void accountDelay(long millis) {
        accountDelayMillis = millis;
    }

    /** The account call is answered with a redirect there (null: answered normally). */
    public void accountRedirect(String location) {
        accountRedirect = location;
    }

    public int pageCalls() {
        return pageCalls.get();
    }

    /** Stores a version of a pool's secret, as key-service does when a pool's secret is rotated there. */
    public void poolSecret(String tenantId, String poolId, int version, String secret) {
        keyService.put(tenantId, poolId, new PoolSecretApi.PutSecret(version, secret));
    }

    public boolean holdsPoolSecret(String secret) {
        return keyService.holdsPoolSecret(secret);
    }

    /** key-service's pool-secret API: key-service-stub, on a port of its own. */
    public String keyServiceUrl() {
        return keyService.url();
    }

    @Override
    public void close() {
        keyService.close();
        server.stop(0);
    }

    private void poolApi(HttpExchange exchange) throws IOException {
        String member = exchange.getRequestHeaders().getFirst(SignedRequestHeaders.SECRET_ID);
        String secret = member == null ? null : secretsByMember.get(member);
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        RequestSignature.Version version;
        try {
            version = RequestSignature.Version.of(header(exchange, SignedRequestHeaders.SIGNATURE_VERSION));
        } catch (IllegalArgumentException e) {
            send(exchange, 401, Map.of("code", "SIGNATURE_VERSION_INVALID", "message", e.getMessage()));
            return;
        }
        String canonical = RequestSignature.canonical(version, "GET", path, query, header(exchange, SignedRequestHeaders.TENANT),
                header(exchange, SignedRequestHeaders.TIMESTAMP), header(exchange, SignedRequestHeaders.NONCE), RequestSignature.sha256Hex(null));
        if (secret == null || !RequestSignature.matches(secret.getBytes(StandardCharsets.UTF_8), canonical,
                header(exchange, SignedRequestHeaders.SIGNATURE))) {
            send(exchange, 401, Map.of("code", "SIGNATURE_INVALID", "message", "The signature does not match the member's API secret."));
            return;
        }
        String type = path.substring("/pool-api/v1/".length());
        if (type.equals("account")) {
            if (accountRedirect != null) {
                exchange.getResponseHeaders().add("Location", accountRedirect);
                send(exchange, 302, Map.of("code", "MOVED"));
                return;
            }
            sleep(accountDelayMillis);
            send(exchange, 200, Map.of("memberId", member, "currency", "USD", "balance", 1234.5, "creditLimit", 500));
            return;
        }
        pageCalls.incrementAndGet();
        Trouble trouble = troubles.poll();
        if (trouble != null) {
            switch (trouble.kind()) {
                case "RATE_LIMITED" -> {
                    exchange.getResponseHeaders().add("Retry-After", Long.toString(trouble.value()));
                    send(exchange, 429, Map.of("code", "RATE_LIMITED"));
                    return;
                }
                case "STATUS" -> {
                    send(exchange, (int) trouble.value(), Map.of("code", "UNAVAILABLE"));
                    return;
                }
                case "NONE" -> {
                }
                case "REDIRECT" -> {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + trouble.value() + path + "?" + query);
                    send(exchange, 302, Map.of("code", "MOVED"));
                    return;
                }
                case "MALFORMED" -> {
                    byte[] bytes = "{\"page\":1,\"items\":[{\"id\":".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                    return;
                }
                default -> sleep(trouble.value());
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            params.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        int page = Integer.parseInt(params.get("page"));
        int pageSize = Integer.parseInt(params.get("pageSize"));
        List<Item> all = new ArrayList<>(catalog.get(type).values());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Item item : all.subList(Math.min(all.size(), (page - 1) * pageSize), Math.min(all.size(), page * pageSize))) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", item.id());
            json.put("name", item.name());
            json.put("zoneId", item.zoneId());
            json.put("spec", item.spec());
            json.put("price", item.price());
            json.put("currency", "USD");
            items.add(json);
        }
        send(exchange, 200, Map.of("page", page, "pageSize", pageSize, "totalPages", Math.max(1, (all.size() + pageSize - 1) / pageSize),
                "items", items));
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
