package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.LocalSecrets;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.Scopes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caller authentication across the whole suite, over real HTTP between real service processes: every endpoint each
 * service publishes in its OpenAPI document (so a new endpoint is covered without touching this test) refuses callers
 * without the right credential, tenants cannot see each other's ids, a replayed signed request is refused, and a
 * revocation reaches the other services' verification caches at once.
 */
@ExtendWith(SuiteLogSecrets.class)
class SecurityMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<KeyfleetService> SERVICES = List.of(KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE,
            KeyfleetService.TOKEN_SERVICE, KeyfleetService.SYNC_SERVICE);
    /** Endpoints any valid credential may call, and the one that needs the scope the "narrow" credential holds. */
    private static final List<String> ANY_SCOPE = List.of("GET /v1/credentials/whoami");
    private static final String NARROW_SCOPE = Scopes.AUDIT_READ;
    private static final List<String> NEEDS_NARROW_SCOPE = List.of("GET /v1/audit");
    /** How long the services reuse a verification (keyfleet.auth.cache-ttl, not set for the suite: its default). */
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    @TempDir
    static Path dataDirectory;

    private static RunningSuite suite;
    private static String admin;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startTheSuite() {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(SERVICES.toArray(KeyfleetService[]::new))
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        suite = SuiteLogSecrets.watch(definition, definition.start());
        admin = definition.adminApiKey().orElseThrow();
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.stop();
        }
    }

    @Test
    void everyEndpointOfEveryServiceRefusesCallersWithoutTheRightCredential() throws Exception {
        String tenant = newTenant();
        String narrow = apiKey(tenant, "{\"scopes\":[\"" + NARROW_SCOPE + "\"]}");
        String otherNarrow = apiKey(tenant, "{\"scopes\":[\"" + Scopes.KEYS_READ + "\"]}");
        Instant expiry = Instant.now().plusSeconds(10); // in the future when key-service takes it, however slow the machine
        String expiring = apiKey(tenant, "{\"scopes\":" + tenantScopes() + ",\"expiresAt\":\"" + expiry + "\"}");
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("REVOKED", apiKey(tenant, "{\"scopes\":" + tenantScopes() + "}"));
        call("POST", keys("/v1/credentials/" + credentialId(refused.get("REVOKED")) + "/revoke"), admin, tenant, null).expect(200);
        refused.put("DISABLED", apiKey(tenant, "{\"scopes\":" + tenantScopes() + "}"));
        call("POST", keys("/v1/credentials/" + credentialId(refused.get("DISABLED")) + "/disable"), admin, tenant, null).expect(200);
        refused.put("FORBIDDEN_IP", apiKey(tenant, "{\"scopes\":" + tenantScopes() + ",\"ipWhitelist\":[\"203.0.113.1\"]}"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).alias("the key expired")
                .until(() -> call("GET", keys("/v1/credentials/whoami"), expiring, null, null).status() == 401);
        refused.put("EXPIRED", expiring);

        int endpoints = 0;
        for (KeyfleetService service : SERVICES) {
            for (String endpoint : endpoints(service)) {
                endpoints++;
                String method = endpoint.substring(0, endpoint.indexOf(' '));
                URI uri = suite.baseUrl(service).resolve(withSampleParameters(endpoint.substring(endpoint.indexOf(' ') + 1)));
                String where = service.moduleName() + " " + endpoint;
                call(method, uri, null, null, "{}").expectProblem(where, 401, "MISSING");
                if (!ANY_SCOPE.contains(endpoint)) {
                    String wrongScope = NEEDS_NARROW_SCOPE.contains(endpoint) ? otherNarrow : narrow;
                    call(method, uri, wrongScope, null, "{}").expectProblem(where, 403, "INSUFFICIENT_SCOPE");
                }
                for (Map.Entry<String, String> credential : refused.entrySet()) {
                    call(method, uri, credential.getValue(), null, "{}").expectProblem(where, 401, credential.getKey());
                }
            }
        }
        assertTrue(endpoints > 30, "the services publish their endpoints in OpenAPI: found only " + endpoints);
    }

    /**
     * Across services: signing-service has heard of B's key from its event, yet answers A's credential as if it did not
     * exist, and naming B does not help, at key-service nor at signing-service, whose credential check is key-service's
     * answer over HTTP. Every endpoint of each service against another tenant's ids: each service's CrossTenantMatrixIT.
     */
    @Test
    void aTenantsCredentialCannotReachAnotherTenantsIds() throws Exception {
        String tenantA = newTenant();
        String tenantB = newTenant();
        String a = apiKey(tenantA, "{\"scopes\":" + tenantScopes() + "}");
        String keyOfB = call("POST", keys("/v1/keys"), admin, tenantB,
                "{\"provider\":\"alipay\",\"appId\":\"2021000000000009\",\"environment\":\"SANDBOX\"}").expect(201).body().get("keyId").asText();

        call("GET", keys("/v1/keys/" + keyOfB), a, null, null).expectProblem("key of B", 404, "KEY_NOT_FOUND");
        awaitStatus(signing("/v1/keys/" + keyOfB + "/versions"), admin, tenantB, 200);
        call("GET", signing("/v1/keys/" + keyOfB + "/versions"), a, null, null).expectProblem("B's key at signing-service", 404,
                "KEY_NOT_FOUND");
        call("GET", keys("/v1/keys/" + keyOfB), a, tenantB, null).expectProblem("acting for B", 403, "TENANT_NOT_ALLOWED");
        call("GET", signing("/v1/keys/" + keyOfB + "/versions"), a, tenantB, null).expectProblem("acting for B at signing", 403,
                "TENANT_NOT_ALLOWED");
    }

    @Test
    void aReplayedSignedRequestIsRefusedByEveryService() throws Exception {
        String tenant = newTenant();
        JsonNode pair = call("POST", keys("/v1/credentials"), admin, tenant, "{\"kind\":\"SECRET_PAIR\",\"scopes\":[\"keys:read\"]}")
                .expect(201).body();
        String keyId = call("POST", keys("/v1/keys"), admin, tenant,
                "{\"provider\":\"alipay\",\"appId\":\"2021000000000010\",\"environment\":\"SANDBOX\"}").expect(201).body().get("keyId").asText();
        awaitStatus(signing("/v1/keys/" + keyId + "/versions"), admin, tenant, 200);
        for (URI uri : List.of(keys("/v1/keys/" + keyId), signing("/v1/keys/" + keyId + "/versions"))) {
            Map<String, String> headers = RequestSignature.headers(pair.get("secretId").asText(), pair.get("secretKey").asText(), "GET",
                    uri.getPath(), null, null, new byte[0]);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            headers.forEach(request::header);
            assertEquals(200, HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode(), uri + " signed");
            Reply replay = new Reply(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
            replay.expectProblem(uri + " replayed", 401, "REPLAYED");
        }
    }

    @Test
    void aRevocationReachesTheOtherServicesCachesAtOnce() throws Exception {
        String tenant = newTenant();
        String key = apiKey(tenant, "{\"scopes\":[\"keys:read\"]}");
        String keyId = call("POST", keys("/v1/keys"), admin, tenant,
                "{\"provider\":\"alipay\",\"appId\":\"2021000000000011\",\"environment\":\"SANDBOX\"}").expect(201).body().get("keyId").asText();
        URI versions = signing("/v1/keys/" + keyId + "/versions");
        awaitStatus(versions, admin, tenant, 200); // signing-service has heard of the key
        Instant firstUse = Instant.now();
        call("GET", versions, key, null, null).expect(200); // signing-service now holds the verification in its cache
        call("POST", keys("/v1/credentials/" + credentialId(key) + "/revoke"), admin, tenant, null).expect(200);
        // refused before the cached verification could have run out by itself (keyfleet.auth.cache-ttl, 30 s from its
        // first use at the latest): the revocation event ended it
        Instant cacheRunsOut = firstUse.plus(CACHE_TTL);
        await().atMost(Duration.between(Instant.now(), cacheRunsOut)).pollInterval(Duration.ofMillis(100))
                .alias("signing-service refuses the revoked key before its cached verification runs out")
                .until(() -> call("GET", versions, key, null, null).status() != 200);
        call("GET", versions, key, null, null).expectProblem("signing-service after the revocation", 401, "REVOKED");
    }

    /**
     * The attack of issue 14: each service's real credential (the one ./keyfleet up made and handed it) against another
     * tenant's private key. Only signing-service, which signs, gets it; token-service still signs through it.
     */
    @Test
    void eachServiceCredentialReachesOnlyWhatItsServiceNeeds() throws Exception {
        Map<String, String> serviceKeys = new LocalSecrets(dataDirectory).ensure(notice -> { }).serviceKeys();
        assertEquals(java.util.Set.of("signing-service", "token-service", "sync-service"), serviceKeys.keySet());
        String owner = newTenant();
        String other = newTenant();
        String appId = "2021000000" + (100000 + new java.util.Random().nextInt(899999));
        String keyId = call("POST", keys("/v1/keys"), admin, owner,
                "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}").expect(201).body().get("keyId").asText();
        URI material = keys("/internal/v1/keys/" + keyId + "/versions/1/material");
        URI poolSecret = keys("/internal/v1/secrets/pools/pool-1?version=1");
        for (Map.Entry<String, String> service : serviceKeys.entrySet()) {
            String name = service.getKey();
            for (String actingFor : java.util.Arrays.asList(null, other)) {
                Reply read = call("GET", material, service.getValue(), actingFor, null);
                if (name.equals("signing-service")) {
                    read.expect(200);
                } else {
                    read.expectProblem(name + " reads another tenant's private key", 403, "INSUFFICIENT_SCOPE");
                }
                call("POST", keys("/v1/keys"), service.getValue(), actingFor,
                        "{\"provider\":\"alipay\",\"appId\":\"2021000000000999\",\"environment\":\"SANDBOX\"}")
                        .expectProblem(name + " makes a key", 403, "INSUFFICIENT_SCOPE");
                call("POST", keys("/v1/credentials"), service.getValue(), actingFor, "{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"]}")
                        .expectProblem(name + " makes a credential", 403, "INSUFFICIENT_SCOPE");
            }
            if (!name.equals("sync-service")) {
                call("GET", poolSecret, service.getValue(), other, null).expectProblem(name + " reads a pool secret", 403, "INSUFFICIENT_SCOPE");
            }
        }
        call("GET", material, admin, null, null).expectProblem("the administrator reads a private key", 403, "MATERIAL_NOT_FOR_CALLER");

        // signing still works for the services that need it: token-service signs for the key's tenant through signing-service
        String sign = "{\"key\":{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"},"
                + "\"scheme\":\"alipay-rsa2\",\"request\":{\"params\":{\"app_id\":\"" + appId + "\",\"method\":\"alipay.trade.query\","
                + "\"charset\":\"utf-8\",\"sign_type\":\"RSA2\",\"timestamp\":\"2026-12-04 12:00:00\",\"version\":\"1.0\"}}}";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("token-service signs through signing-service")
                .until(() -> call("POST", signing("/v1/sign"), serviceKeys.get("token-service"), owner, sign).status() == 200);
        call("POST", signing("/v1/sign"), serviceKeys.get("sync-service"), owner, sign)
                .expectProblem("sync-service signs", 403, "INSUFFICIENT_SCOPE");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static String newTenant() throws Exception {
        String id = "m-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", keys("/v1/tenants"), admin, null, "{\"id\":\"" + id + "\",\"name\":\"Matrix " + id + "\"}").expect(201);
        return id;
    }

    /** A new API key of the tenant; {@code spec} is the create body without its kind. */
    private static String apiKey(String tenant, String spec) throws Exception {
        String body = "{\"kind\":\"API_KEY\"," + spec.substring(1);
        return call("POST", keys("/v1/credentials"), admin, tenant, body).expect(201).body().get("apiKey").asText();
    }

    private static String credentialId(String apiKey) throws Exception {
        return credential(apiKey).get("credentialId").asText();
    }

    private static JsonNode credential(String apiKey) throws Exception {
        JsonNode whoAmI = call("GET", keys("/v1/credentials/whoami"), apiKey, null, null).expect(200).body();
        return call("GET", keys("/v1/credentials/" + whoAmI.get("credentialId").asText()), admin, whoAmI.get("tenantId").asText(), null)
                .expect(200).body();
    }

    /** Every scope a tenant's credential may hold. */
    private static String tenantScopes() throws IOException {
        List<String> scopes = new ArrayList<>(Scopes.ALL);
        scopes.removeAll(Scopes.SYSTEM_ONLY);
        return JSON.writeValueAsString(scopes);
    }

    /** "METHOD /path" of every operation in the service's OpenAPI document. */
    private static List<String> endpoints(KeyfleetService service) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(suite.baseUrl(service).resolve("/q/openapi?format=json"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), service.moduleName() + " OpenAPI");
        List<String> endpoints = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = JSON.readTree(response.body()).path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (List.of("get", "post", "put", "delete", "patch").contains(method)) {
                    endpoints.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }
        return endpoints;
    }

    private static String withSampleParameters(String path) {
        return path.replaceAll("\\{version}", "1").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    private static void awaitStatus(URI uri, String apiKey, String tenant, int status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias(uri + " answers " + status)
                .until(() -> call("GET", uri, apiKey, tenant, null).status() == status);
    }

    private static URI keys(String path) {
        return suite.baseUrl(KeyfleetService.KEY_SERVICE).resolve(path);
    }

    private static URI signing(String path) {
        return suite.baseUrl(KeyfleetService.SIGNING_SERVICE).resolve(path);
    }

    private static Reply call(String method, URI uri, String apiKey, String tenant, String jsonBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        SuiteLogSecrets.harvest(jsonBody);
        SuiteLogSecrets.harvest(response.body());
        return new Reply(response);
    }

    private record Reply(HttpResponse<String> response) {

        int status() {
            return response.statusCode();
        }

        JsonNode body() throws IOException {
            return JSON.readTree(response.body());
        }

        Reply expect(int status) {
            assertEquals(status, response.statusCode(), response.request().method() + " " + response.uri() + ": " + response.body());
            return this;
        }

        void expectProblem(String where, int status, String code) throws IOException {
            assertEquals(status, response.statusCode(), where + ": " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    where + " answers problem+json");
            assertEquals(code, body().path("code").asText(), where + ": " + response.body());
        }
    }
}
