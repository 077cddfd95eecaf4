package io.keyfleet.keys.credential;

import static io.keyfleet.keys.support.Tenancy.ADMIN_API_KEY;
import static io.keyfleet.keys.support.Tenancy.apiKey;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.auth.VerificationCode;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fuzz test of everything a caller can send to authenticate or to make credentials and keys: malformed bearer keys,
 * signatures and their headers, IP whitelists, PEMs and JSON bodies, at POST /v1/credentials/verify, POST
 * /v1/credentials, POST /v1/keys/import, PUT /v1/provider-keys and the Authorization / X-Keyfleet-* headers of
 * several endpoints, over real HTTP against the real database.
 *
 * <p>Every answer must be below 500; a refusal must be problem+json (verify: the documented 200 answer with a code
 * from the fixed set); no body may carry a stack trace or a Java class name; and a refused input stores nothing
 * (row counts of api_credential, api_credential_secret, app_key, provider_key, and of the outbox events of the
 * tenants this test acts for, unchanged). An input that happens to be acceptable may be stored; the counts are taken
 * again after it. The one answer that is not problem+json: a header block over the HTTP server's limit (20 KB) is
 * refused by Vert.x itself with an empty 431, before any application code runs.
 *
 * <p>A plain seeded generator (no jqwik): the seed is printed and is in every failure message; replay a run with
 * {@code -Dfuzz.seed=<seed>}; {@code -Dfuzz.cases=<n>} changes the number of cases.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CredentialFuzzIT {

    private static final int CASES = Integer.getInteger("fuzz.cases", 3_000);
    private static final String SYSTEM_TENANT = "keyfleet";
    /**
     * Events the scheduled jobs publish later on their own: a replaced provider key's grace ends (fuzzed grace periods
     * can be zero) → KeyRevoked; imported keys with a rotation policy → KeyExpiring, KeyRotated. None of the fuzzed
     * endpoints publishes them, so leaving them out of the count hides no request's event.
     */
    private static final List<String> BACKGROUND_EVENTS = List.of("KeyRevoked", "KeyExpiring", "KeyRotated", "CredentialExpiring");
    /** quarkus.http.limits.max-header-size: beyond it Vert.x answers 431 with an empty body before any filter runs. */
    private static final int MAX_HEADER_BYTES = 20 * 1024;
    private static final Set<String> CODES = Arrays.stream(VerificationCode.values()).map(Enum::name).collect(Collectors.toSet());
    /** A stack trace line, an exception's name or a class of the JDK, a framework or this project. */
    private static final Pattern LEAK = Pattern.compile("\\tat |\\bat [a-z]+\\.[a-z]+\\.|Exception\\b|Caused by|"
            + "\\b(java|javax|jakarta|sun|io\\.keyfleet|io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye|org\\.(jboss|hibernate|postgresql|apache)"
            + "|com\\.fasterxml)\\.[A-Za-z_$]");
    private static final List<String> SCOPES = List.of("keys:read", "keys:write", "credentials:read", "tokens:*", "sync:read",
            "keys:material", "tenants:admin", "keys:*", "*", ":*", "keys:", "KEYS:READ", "keys:read ", "", "a:*", "tokens:**");
    private static final List<String> PROVIDERS = List.of("alipay", "fuzz-a", "fuzz-b");
    private static final List<String> ENVIRONMENTS = List.of("SANDBOX", "PRODUCTION");
    private static final List<String> PEM_LABELS = List.of("PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "RSA PUBLIC KEY",
            "EC PRIVATE KEY", "CERTIFICATE", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "FOO", "");
    /** Endpoints whose Authorization / X-Keyfleet-* headers are fuzzed: method, path, a plausible body. */
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/v1/keys", null},
            new String[] {"GET", "/v1/credentials/whoami", null},
            new String[] {"GET", "/v1/credentials?page=0&size=5", null},
            new String[] {"GET", "/v1/credentials/" + UUID.randomUUID(), null},
            new String[] {"GET", "/v1/provider-keys", null},
            new String[] {"POST", "/v1/credentials", "{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"]}"},
            new String[] {"POST", "/v1/credentials/verify", "{\"apiKey\":\"" + ApiKeyFormat.generate(true) + "\"}"},
            new String[] {"POST", "/v1/keys/import", "{\"provider\":\"alipay\",\"appId\":\"a1\",\"environment\":\"SANDBOX\",\"publicKey\":\"x\"}"},
            new String[] {"PUT", "/v1/provider-keys", "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\"x\"}"},
            new String[] {"POST", "/ams/api/v1/customer/applyPublicKey", "{}"});

    @Inject
    EntityManager entityManager;

    @TestHTTPResource("/")
    URL root;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SplittableRandom random;
    private String tenant;
    private String realKey;
    private String secretId;
    private String secretKey;
    private List<String> realPems;
    private final List<String> usedNonces = new ArrayList<>();

    /** One request to send and what kind of input it carries. */
    private record Case(String kind, String method, String path, Map<String, String> headers, String body) {
    }

    /** Row counts that a refused input must leave unchanged. */
    private record Counts(long credentials, long secrets, long appKeys, long providerKeys, long events) {
    }

    @Test
    void malformedCredentialsSignaturesWhitelistsPemsAndBodiesAreRefusedCleanlyAndStoreNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("CredentialFuzzIT: seed " + seed + ", " + CASES + " cases (replay with -Dfuzz.seed=" + seed + ")");
        random = new SplittableRandom(seed);
        tenant = newTenant();
        realKey = apiKey(tenant, "keys:read");
        var pair = CredentialTesting.createPair(tenant, "");
        secretId = pair.path("secretId");
        secretKey = pair.path("secretKey");
        realPems = realPems();

        Counts counts = counts();
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Case c = next();
            kinds.merge(c.kind(), 1, Integer::sum);
            String where = "seed " + seed + ", case " + i + " (" + c.kind() + " " + c.method() + " " + c.path() + ", headers "
                    + abbreviate(c.headers().toString()) + ", body " + abbreviate(c.body()) + ")";
            try {
                HttpResponse<String> response = send(c, where);
                boolean accepted = check(c, response, where);
                Counts after = counts();
                if (!accepted) {
                    assertThat(after).as("nothing stored for a refused input: " + where).isEqualTo(counts);
                }
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
            counts = counts();
        }
        System.out.println("CredentialFuzzIT: cases by kind " + kinds);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + CASES + " cases failed (seed " + seed + "); the first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        }
    }

    // ---------------------------------------------------------------- checks

    /** Asserts the answer is clean; returns whether the input was accepted (and so may have stored something). */
    private boolean check(Case c, HttpResponse<String> response, String where) throws Exception {
        int status = response.statusCode();
        String body = response.body();
        String type = response.headers().firstValue("Content-Type").orElse("");
        String what = where + " -> " + status + " " + type + " " + abbreviate(body);
        assertThat(status).as("never a 5xx: " + what).isLessThan(500);
        assertThat(LEAK.matcher(body).find()).as("no stack trace or class name in the body: " + what).isFalse();
        boolean verify = c.path().equals("/v1/credentials/verify");
        if (status == 431) {
            // the HTTP server itself refuses headers over its limit; no application code sees the request
            assertThat(headerBytes(c)).as("431 only for headers over the server's limit: " + what).isGreaterThan(MAX_HEADER_BYTES - 1024);
            return false;
        }
        if (status >= 400) {
            assertThat(type).as("a refusal is problem+json: " + what).startsWith("application/problem+json");
            JsonNode problem = json.readTree(body);
            assertThat(problem.path("status").asInt()).as(what).isEqualTo(status);
            assertThat(problem.path("code").asText()).as(what).isNotBlank();
            return false;
        }
        if (verify) {
            assertThat(status).as(what).isEqualTo(200);
            assertThat(type).as(what).startsWith("application/json");
            JsonNode answer = json.readTree(body);
            assertThat(answer.path("valid").isBoolean()).as(what).isTrue();
            assertThat(CODES).as(what).contains(answer.path("code").asText());
            assertThat(answer.path("message").asText()).as(what).isNotBlank();
            return false; // verifying never stores anything, valid or not
        }
        return true;
    }

    private static int headerBytes(Case c) {
        return c.headers().entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length() + 4).sum();
    }

    private HttpResponse<String> send(Case c, String where) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + c.path()))
                .timeout(Duration.ofSeconds(30));
        c.headers().forEach(request::header);
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.UTF_8);
        if (c.body() != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(c.method(), body);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException first) {
            // A kept-alive connection the server closed after its previous answer (as the HTTP layer may after refusing
            // an input) can be picked for this request before the client saw the close: the JDK client does not resend
            // a POST then. Once more on a new connection; a second failure is the server's.
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                e.addSuppressed(first);
                return fail("the request failed at the transport level twice (" + first + ", then " + e + "): " + where, e);
            }
        }
    }

    private Counts counts() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) entityManager.createNativeQuery("select (select count(*) from api_credential), "
                            + "(select count(*) from api_credential_secret), (select count(*) from app_key), "
                            + "(select count(*) from provider_key), "
                            + "(select count(*) from outbox_event where tenant_id in (?1, ?2) and event_type not in (?3))")
                    .setParameter(1, tenant).setParameter(2, SYSTEM_TENANT).setParameter(3, BACKGROUND_EVENTS).getSingleResult();
            return new Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), ((Number) row[2]).longValue(),
                    ((Number) row[3]).longValue(), ((Number) row[4]).longValue());
        });
    }

    // ---------------------------------------------------------------- cases

    private Case next() {
        return switch (random.nextInt(12)) {
            case 0, 1 -> verifyApiKey();
            case 2, 3 -> verifySigned();
            case 4 -> verifyBody();
            case 5, 6 -> createCredential();
            case 7 -> bearerHeader();
            case 8 -> signedHeaders();
            case 9 -> tenantHeader();
            case 10 -> importKey();
            default -> putProviderKey();
        };
    }

    private Case verifyApiKey() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiKey", badApiKey());
        maybe(body, "sourceIp", this::badIp);
        maybe(body, "requiredScope", () -> pick(SCOPES));
        return asAdmin("verify-api-key", "POST", "/v1/credentials/verify", object(body));
    }

    private Case verifySigned() {
        Map<String, Object> body = signedFields(true);
        maybe(body, "sourceIp", this::badIp);
        maybe(body, "requiredScope", () -> pick(SCOPES));
        return asAdmin("verify-signed", "POST", "/v1/credentials/verify", object(body));
    }

    /** The verify body with wrong types, nulls, unknown fields, deep nesting, huge strings, or not JSON at all. */
    private Case verifyBody() {
        List<String> fields = List.of("apiKey", "secretId", "timestamp", "nonce", "signature", "method", "path", "query",
                "bodySha256", "sourceIp", "requiredScope", "unknownField");
        Map<String, Object> body = new LinkedHashMap<>();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            body.put(pick(fields), new Raw(anyJson(0)));
        }
        return asAdmin("verify-body", "POST", "/v1/credentials/verify", random.nextInt(5) == 0 ? brokenJson() : object(body));
    }

    /** A create request with one to three fields made wrong. */
    private Case createCredential() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", random.nextBoolean() ? "API_KEY" : "SECRET_PAIR");
        body.put("scopes", List.of("keys:read"));
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            switch (random.nextInt(10)) {
                case 0 -> body.put("kind", oneOf(new Raw(anyJson(0)), "API_KEY ", "api_key", "PASSWORD", "", null, 1));
                case 1 -> body.put("scopes", random.nextBoolean() ? new Raw(anyJson(0)) : badScopes());
                case 2, 3 -> body.put("ipWhitelist", badWhitelist());
                case 4 -> body.put("expiresAt", badInstant());
                case 5 -> body.put("callbackUrl", oneOf(text(random.nextInt(40)), "ftp://x", "https://", "http://example.com/cb",
                        "https://exa mple.com", "https://example.com/\u0000", "javascript:alert(1)", "https://" + "a".repeat(2100),
                        "//example.com/cb", new Raw(anyJson(0))));
                case 6 -> body.put("remark", oneOf(text(random.nextInt(600)), "\u0000", "a\u0000b", "x".repeat(501),
                        "\uD800", new Raw(anyJson(0))));
                case 7 -> body.put("gracePeriod", badDuration());
                case 8 -> body.put("live", oneOf("yes", 1, "true", null, new Raw(anyJson(0))));
                default -> body.put(text(1 + random.nextInt(10)), new Raw(anyJson(0)));
            }
        }
        String text = random.nextInt(10) == 0 ? brokenJson() : object(body);
        return asTenant("create", "POST", "/v1/credentials", text);
    }

    /** A wrong Authorization header on any endpoint. */
    private Case bearerHeader() {
        String[] endpoint = pick(ENDPOINTS);
        String value = switch (random.nextInt(6)) {
            case 0, 1, 2 -> "Bearer " + badApiKey();
            case 3 -> oneOf("Bearer", "Bearer ", "bearer " + ApiKeyFormat.generate(true), "Basic dXNlcjpwYXNz", "Token " + realKey,
                    "Bearer  " + realKey.substring(1), realKey.substring(0, 10), "Bearer\t" + badApiKey(), "Digest x=y");
            case 4 -> "Bearer " + headerText(text(random.nextInt(200)));
            default -> "Bearer " + headerText(text(4_000 + random.nextInt(12_000)));
        };
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SignedRequestHeaders.AUTHORIZATION, headerText(value));
        if (random.nextInt(4) == 0) {
            headers.put(Caller.TENANT_HEADER, random.nextBoolean() ? tenant : headerText(text(random.nextInt(30))));
        }
        return new Case("bearer-header", endpoint[0], endpoint[1], headers, endpoint[2]);
    }

    /** Signed-request headers with something wrong, on any endpoint; sometimes together with a bearer key. */
    private Case signedHeaders() {
        String[] endpoint = pick(ENDPOINTS);
        Map<String, Object> fields = signedFields(false);
        Map<String, String> headers = new LinkedHashMap<>();
        putHeader(headers, SignedRequestHeaders.SECRET_ID, fields.get("secretId"));
        putHeader(headers, SignedRequestHeaders.TIMESTAMP, fields.get("timestamp"));
        putHeader(headers, SignedRequestHeaders.NONCE, fields.get("nonce"));
        putHeader(headers, SignedRequestHeaders.SIGNATURE, fields.get("signature"));
        putHeader(headers, SignedRequestHeaders.SIGNATURE_VERSION, fields.get("signatureVersion"));
        if (random.nextInt(6) == 0) {
            headers.put(SignedRequestHeaders.AUTHORIZATION, headerText("Bearer " + (random.nextBoolean() ? realKey : badApiKey())));
        }
        return new Case("signed-headers", endpoint[0], endpoint[1], headers, endpoint[2]);
    }

    /** The administrator acting for a tenant named by a malformed X-Keyfleet-Tenant header. */
    private Case tenantHeader() {
        String[] endpoint = pick(ENDPOINTS);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SignedRequestHeaders.AUTHORIZATION, "Bearer " + ADMIN_API_KEY);
        headers.put(Caller.TENANT_HEADER, headerText(oneOf(text(1 + random.nextInt(80)), "t-" + UUID.randomUUID(),
                "' or 1=1 --", "x".repeat(300), " ", tenant + " ", "%00", "..", "keyfleet\t")));
        return new Case("tenant-header", endpoint[0], endpoint[1], headers, endpoint[2]);
    }

    private Case importKey() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", random.nextInt(8) == 0 ? oneOf("Alipay", "", "-x", new Raw(anyJson(0))) : pick(PROVIDERS));
        body.put("appId", "fuzz-" + random.nextInt(1_000_000));
        body.put("environment", random.nextInt(8) == 0 ? oneOf("sandbox", "LIVE", 0, null) : pick(ENVIRONMENTS));
        switch (random.nextInt(4)) {
            case 0 -> body.put("privateKeyPem", badPem());
            case 1 -> body.put("publicKey", badPem());
            case 2 -> {
                body.put("privateKeyPem", badPem());
                body.put("publicKey", random.nextBoolean() ? badPem() : pick(realPems));
            }
            default -> body.put(random.nextBoolean() ? "privateKeyPem" : "publicKey", new Raw(anyJson(0)));
        }
        if (random.nextInt(5) == 0) {
            body.put("policy", oneOf(Map.of("gracePeriod", badDuration()), Map.of("rotateAfterDays", new Raw(anyJson(0))),
                    new Raw(anyJson(0))));
        }
        return asTenant("import", "POST", "/v1/keys/import", object(body));
    }

    /** Provider public keys: mostly broken PEMs, sometimes a real key with a broken grace period (accepted or not). */
    private Case putProviderKey() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", random.nextInt(8) == 0 ? oneOf("ALIPAY", "", "a".repeat(41), new Raw(anyJson(0))) : pick(PROVIDERS));
        body.put("environment", random.nextInt(8) == 0 ? oneOf("sandbox", "LIVE", 0, null) : pick(ENVIRONMENTS));
        boolean realKeyWithBadGrace = random.nextInt(4) == 0;
        body.put("publicKey", realKeyWithBadGrace ? pick(realPems) : random.nextInt(6) == 0 ? new Raw(anyJson(0)) : badPem());
        if (realKeyWithBadGrace || random.nextInt(4) == 0) {
            body.put("gracePeriod", badDuration());
        }
        return asTenant("provider-key", "PUT", "/v1/provider-keys", object(body));
    }

    private Case asAdmin(String kind, String method, String path, String body) {
        return new Case(kind, method, path, Map.of(SignedRequestHeaders.AUTHORIZATION, "Bearer " + ADMIN_API_KEY), body);
    }

    private Case asTenant(String kind, String method, String path, String body) {
        return new Case(kind, method, path, Map.of(SignedRequestHeaders.AUTHORIZATION, "Bearer " + ADMIN_API_KEY,
                Caller.TENANT_HEADER, tenant), body);
    }

    // ---------------------------------------------------------------- bad values

    /** Random strings and near misses of a real key: one character changed, bad checksum, wrong prefix, unicode, huge. */
    private String badApiKey() {
        String real = random.nextBoolean() ? realKey : ApiKeyFormat.generate(random.nextBoolean());
        return switch (random.nextInt(10)) {
            case 0 -> text(random.nextInt(80));
            case 1 -> {
                char[] chars = real.toCharArray();
                int at = random.nextInt(chars.length);
                char replacement;
                do {
                    replacement = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_".charAt(random.nextInt(63));
                } while (replacement == chars[at]);
                chars[at] = replacement;
                yield new String(chars);
            }
            case 2 -> real.substring(0, real.length() - 6) + ApiKeyFormat.randomBase62(6); // a wrong checksum
            case 3 -> oneOf("kf_prod_", "KF_LIVE_", "kf_live", "kf-live-", "", "sk_live_") + real.substring(8);
            case 4 -> real.substring(0, 8 + random.nextInt(real.length() - 8)); // cut short
            case 5 -> real + oneOf("x", " ", "\u0000", "\u200b", real);
            case 6 -> real.substring(0, 20) + oneOf("é", "\uFF10", "\uD83D\uDD11", "\u0430", "\uD800") + real.substring(21);
            case 7 -> oneOf(" " + real + " ", "Bearer " + real.substring(0, 50), "bearer  " + real.toUpperCase(),
                    real.replace('_', '-'), "kf_live_" + "A".repeat(46));
            case 8 -> "kf_live_" + text(10_000 + random.nextInt(10_000));
            default -> "kf_test_" + ApiKeyFormat.randomBase62(40 + random.nextInt(3) - 1) + ApiKeyFormat.randomBase62(6);
        };
    }

    /**
     * The signed-request fields with at least one thing wrong: an unknown or odd SecretId, a stale, future or
     * non-numeric timestamp, a bad or reused nonce, a signature that is not base64, has the wrong length or is made
     * with the wrong key, or odd method, path, query and body hash.
     */
    private Map<String, Object> signedFields(boolean withCanonicalFields) {
        long now = Instant.now().getEpochSecond();
        String id = random.nextInt(6) == 0
                ? oneOf(text(random.nextInt(70)), "SID" + ApiKeyFormat.randomBase62(20), secretId + "x", secretId.toLowerCase(),
                        " " + secretId, secretId.substring(1), "a\u0000b", "%", "' or ''='")
                : secretId;
        String timestamp = Long.toString(now);
        String nonce = ApiKeyFormat.randomBase62(24);
        String method = "POST";
        String path = "/v1/keys";
        String query = "page=0";
        String bodySha256 = EMPTY_JSON_SHA256;
        byte[] signingKey = secretKey.getBytes(StandardCharsets.UTF_8);
        for (int n = 1 + random.nextInt(2); n > 0; n--) {
            switch (random.nextInt(withCanonicalFields ? 9 : 5)) {
                case 0 -> timestamp = oneOf(Long.toString(now - 301 - random.nextInt(100_000)), Long.toString(now + 301 + random.nextInt(100_000)),
                        "0", "-1", "abc", "", "1e9", " " + now, now + ".5", "99999999999999999999", "0x" + Long.toHexString(now),
                        "\uFF11\uFF12", Long.toString(now * 1000), Long.toString(Long.MIN_VALUE));
                case 1 -> nonce = oneOf("", " ", "a b", "x".repeat(65), "n\u00e9", "nonce/1", "\u0000", "ab\ncd",
                        usedNonces.isEmpty() ? "fresh" : pick(usedNonces));
                case 2 -> signingKey = ("wrong" + secretKey).getBytes(StandardCharsets.UTF_8);
                case 3 -> timestamp = Long.toString(now + random.nextInt(-299, 300)); // inside the window
                case 4 -> method = oneOf("GET", "post", "", "P O S T", "\u0000", "X".repeat(20));
                case 5 -> path = oneOf("", "v1/keys", "/v1/keys/", "/" + text(random.nextInt(30)), "/" + "p".repeat(2100));
                case 6 -> query = oneOf(null, "", text(random.nextInt(40)), "q".repeat(4100));
                case 7 -> bodySha256 = oneOf(null, "", "zz", EMPTY_JSON_SHA256.toUpperCase(), EMPTY_JSON_SHA256.substring(1), "g".repeat(64));
                default -> nonce = ApiKeyFormat.randomBase62(24); // a valid nonce; something else goes wrong
            }
        }
        String version = RequestSignature.Version.V2.header();
        if (random.nextInt(8) == 0) {
            version = oneOf(null, "", "1", "3", "v2", "2 2", "\u0000", "9".repeat(20)); // v1 is signed otherwise: does not match
        }
        String presentedTenant = null;
        if (withCanonicalFields && random.nextInt(4) == 0) {
            // signed for one tenant, presented for another (or for none)
            presentedTenant = oneOf(tenant, "keyfleet", "", " ", "t".repeat(65), "\u0000", text(random.nextInt(30)));
        }
        String canonical = RequestSignature.canonical(RequestSignature.Version.V2, method, path, query,
                presentedTenant == null || random.nextInt(3) > 0 ? presentedTenant : "other-" + presentedTenant, timestamp, nonce, bodySha256 == null
                ? RequestSignature.sha256Hex(new byte[0]) : bodySha256);
        String signature = RequestSignature.sign(signingKey, canonical);
        switch (random.nextInt(8)) {
            case 0 -> signature = oneOf("", " ", "not base64!", "====", signature.substring(2), signature + "AAAA",
                    Base64.getEncoder().encodeToString(new byte[random.nextInt(64)]), text(random.nextInt(100)), "\u0000");
            case 1 -> signature = signature.replace('+', '-').replace('/', '_');
            default -> {
                // the signature fits the fields (an odd method or path is signed as it is)
            }
        }
        // nonces that may have been accepted once: sent again later, they must be REPLAYED
        if (NONCE_SHAPE.matcher(nonce).matches() && id.equals(secretId) && usedNonces.size() < 50) {
            usedNonces.add(nonce);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("secretId", id);
        fields.put("timestamp", timestamp);
        fields.put("nonce", nonce);
        fields.put("signature", signature);
        fields.put("signatureVersion", version);
        if (withCanonicalFields) {
            fields.put("tenant", presentedTenant);
            fields.put("method", method);
            fields.put("path", path);
            fields.put("query", query);
            fields.put("bodySha256", bodySha256);
        }
        return fields;
    }

    private static final String EMPTY_JSON_SHA256 = RequestSignature.sha256Hex("{}".getBytes(StandardCharsets.UTF_8));
    private static final Pattern NONCE_SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private String badIp() {
        return oneOf(text(random.nextInt(50)), "256.1.1.1", "1.2.3", "::1", "::ffff:10.0.0.1", "fe80::1%eth0", "[::1]",
                "2001:db8::/32", "10.0.0.0/8", "1.2.3.4, 5.6.7.8", "localhost", "", " ", "::::", "1:2:3:4:5:6:7:8:9",
                "0x7f.1", "127.1", "01.02.03.04", "\u0661.\u0662.\u0663.\u0664", "a".repeat(70));
    }

    /** Garbage entries, more than 10, bad CIDR prefixes, IPv6 oddities, non-strings, as an array or a comma-separated string. */
    private Object badWhitelist() {
        List<Object> entries = new ArrayList<>();
        int count = random.nextInt(5) == 0 ? 11 + random.nextInt(200) : 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            entries.add(switch (random.nextInt(8)) {
                case 0 -> text(random.nextInt(30));
                case 1 -> oneOf("10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.0/08",
                        "2001:db8::/129", "::/0", "0.0.0.0/0", "10.0.0.0/1000", "10.0.0.0/ 8", "10.0.0.0/\uFF18");
                case 2 -> oneOf("::1", "fe80::1%eth0", "[2001:db8::1]", "2001:db8:::1", "::ffff:1.2.3.4", "1::2::3",
                        "2001:0db8:0000:0000:0000:ff00:0042:8329:1", "::g", ":", "[::1", "1.2.3.4:80");
                case 3 -> new Raw(anyJson(0)); // not a string
                case 4 -> oneOf("", " ", null);
                case 5 -> oneOf("203.0.113.7", "10.0.0.0/8", "2001:db8::/32"); // a good one among the bad
                case 6 -> oneOf("example.com", "localhost", "999.1.1.1", "1.2.3.4.5", "01.2.3.4");
                default -> "1.2.3." + random.nextInt(300);
            });
        }
        if (random.nextInt(3) == 0) {
            return entries.stream().map(e -> e instanceof Raw raw ? raw.json() : String.valueOf(e)).collect(Collectors.joining(","));
        }
        return random.nextInt(8) == 0 ? new Raw(anyJson(0)) : entries;
    }

    private List<String> badScopes() {
        List<String> scopes = new ArrayList<>();
        for (int n = random.nextInt(14); n > 0; n--) {
            scopes.add(random.nextInt(3) == 0 ? text(random.nextInt(20)) : pick(SCOPES));
        }
        return scopes;
    }

    private Object badInstant() {
        return oneOf("2020-01-01T00:00:00Z", "yesterday", "", "2030-13-01T00:00:00Z", "+300000-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2030-01-01",
                "2030-01-01T00:00:00+25:00", 1e20, -1, 0, Long.MAX_VALUE, new Raw("1e400"), new Raw(anyJson(0)));
    }

    private Object badDuration() {
        return oneOf("PT-1H", "P91D", "P999999999D", "PT2562047788015215H", "-P1D", "1h", "", "P", "PT0S", "P100000000D",
                "PT1H", 3600, -1, 1e30, Long.MAX_VALUE, new Raw(anyJson(0)));
    }

    /** Truncated real keys, wrong headers, random base64, random text. */
    private String badPem() {
        String real = pick(realPems);
        return switch (random.nextInt(7)) {
            case 0 -> real.substring(0, random.nextInt(real.length()));
            case 1 -> real.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "-----$1 " + pick(PEM_LABELS) + "-----");
            case 2 -> {
                byte[] bytes = new byte[random.nextInt(700)];
                random.nextBytes(bytes);
                String label = pick(PEM_LABELS);
                String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
                yield random.nextBoolean() ? base64 : "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
            }
            case 3 -> {
                char[] chars = real.toCharArray();
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    chars[random.nextInt(chars.length)] = "ABCxyz019+/=\n-".charAt(random.nextInt(14));
                }
                yield new String(chars);
            }
            case 4 -> text(random.nextInt(random.nextBoolean() ? 100 : 20_000));
            case 5 -> oneOf("", "-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
                    "-----BEGIN PUBLIC KEY-----\n\u0000\n-----END PUBLIC KEY-----", "MA==", "\uD800", real + real, real.repeat(8));
            default -> real.replace("\n", oneOf("\r\n", "", " ", "\n\n", "\\n"));
        };
    }

    // ---------------------------------------------------------------- JSON and text

    /** A value written into a JSON body as is (already JSON text). */
    private record Raw(String json) {
    }

    /** Any JSON value: wrong types, nulls, odd numbers, huge strings, deep nesting (some past the parser's limit). */
    private String anyJson(int depth) {
        int choice = depth > 3 ? random.nextInt(6) : random.nextInt(10);
        return switch (choice) {
            case 0 -> "null";
            case 1 -> oneOf("true", "false");
            case 2 -> oneOf("0", "-1", "1e400", "-0.0", "12345678901234567890123", "1.5", "NaN");
            case 3, 4 -> quote(text(random.nextInt(60)));
            case 5 -> random.nextInt(20) == 0 ? quote(text(100_000 + random.nextInt(300_000))) : quote(text(random.nextInt(2_000)));
            case 6 -> {
                int levels = random.nextBoolean() ? 1 + random.nextInt(50) : 900 + random.nextInt(2_000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                yield open.repeat(levels) + "1" + close.repeat(levels);
            }
            case 7 -> "[" + anyJson(depth + 1) + "," + anyJson(depth + 1) + "]";
            case 8 -> "{" + quote(text(random.nextInt(10))) + ":" + anyJson(depth + 1) + "}";
            default -> "[]";
        };
    }

    private String brokenJson() {
        return oneOf("", "{", "}", "[]", "null", "\"apiKey\"", "{\"apiKey\":}", "{'apiKey':'x'}", "{\"apiKey\":\"x\",}",
                "{\"apiKey\":\"x\"} trailing", "\u0000", text(random.nextInt(100)), "{\"a\":" + "[".repeat(5_000),
                "{\"apiKey\":\"\\ud800\"}", "{\"apiKey\":\"\\u0000\"}", "{\"kind\":\"API_KEY\",\"kind\":\"SECRET_PAIR\"}");
    }

    private String object(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(name)).append(':').append(value(value));
        });
        return out.append('}').toString();
    }

    private String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Raw raw) {
            return raw.json();
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::value).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            return object(fields);
        }
        return String.valueOf(value);
    }

    /** A JSON string; characters beyond ASCII go raw or as \\u escapes, so lone surrogates reach the server too. */
    private String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        boolean escapeAll = random.nextBoolean();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x80 && (escapeAll || Character.isSurrogate(c)))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Any code points: ASCII, controls, CJK and other BMP characters, lone surrogates, supplementary planes. */
    private String text(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0, 1 -> out.append((char) random.nextInt(0x20, 0x7f));
                case 2 -> out.append((char) random.nextInt(0, 0x20));
                case 3 -> out.append((char) random.nextInt(0x80, 0xffff));
                default -> out.appendCodePoint(random.nextInt(0x10000, 0x10ffff));
            }
        }
        return out.toString();
    }

    /**
     * What can travel in an HTTP header: visible ASCII, space, tab and obs-text (0x80-0xff, sent as single bytes);
     * anything else becomes '?'.
     */
    private static String headerText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append((c >= 0x20 && c != 0x7f && c <= 0xff) || c == '\t' ? c : '?');
        }
        String value = out.toString().strip();
        return value;
    }

    private static void putHeader(Map<String, String> headers, String name, Object value) {
        if (value != null) {
            headers.put(name, headerText(value.toString()));
        }
    }

    private void maybe(Map<String, Object> body, String field, Supplier<Object> value) {
        if (random.nextBoolean()) {
            body.put(field, value.get());
        }
    }

    @SafeVarargs
    private <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Real RSA and EC public keys, PEM and bare base64, to damage. */
    private static List<String> realPems() throws Exception {
        List<String> pems = new ArrayList<>();
        for (String[] spec : List.of(new String[] {"RSA", "2048"}, new String[] {"EC", "256"})) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(spec[0]);
            generator.initialize(Integer.parseInt(spec[1]));
            KeyPair pair = generator.generateKeyPair();
            String publicBase64 = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
            pems.add(pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            pems.add(publicBase64);
            pems.add(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        }
        return pems;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
