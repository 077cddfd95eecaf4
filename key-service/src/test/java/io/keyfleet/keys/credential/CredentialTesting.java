package io.keyfleet.keys.credential;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.RequestSignature.Version;
import io.keyfleet.auth.SignedRequestHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Creating credentials and presenting them to POST /v1/credentials/verify, as the ITs need. */
final class CredentialTesting {

    private CredentialTesting() {
    }

    static ExtractableResponse<Response> create(String tenant, String json) {
        return as(tenant).contentType(ContentType.JSON).body(json).post("/v1/credentials").then().statusCode(201).extract();
    }

    static ExtractableResponse<Response> createApiKey(String tenant, String extraJson) {
        return create(tenant, "{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\",\"tokens:*\"]" + extraJson + "}");
    }

    static ExtractableResponse<Response> createPair(String tenant, String extraJson) {
        return create(tenant, "{\"kind\":\"SECRET_PAIR\",\"scopes\":[\"keys:read\"]" + extraJson + "}");
    }

    static Response verifyKey(String apiKey, String sourceIp, String scope) {
        Map<String, Object> body = new HashMap<>();
        body.put("apiKey", apiKey);
        body.put("sourceIp", sourceIp);
        body.put("requiredScope", scope);
        return admin().contentType(ContentType.JSON).body(body).post("/v1/credentials/verify");
    }

    /** A signed POST /v1/keys?page=0 with body "{}" in format v2 for the credential's own tenant, signed at {@code timestamp}. */
    static Map<String, Object> signed(String secretId, String secretKey, long timestamp, String nonce) {
        return signed(Version.V2, secretId, secretKey, null, timestamp, nonce);
    }

    /**
     * A signed POST /v1/keys?page=0 with body "{}" in the given format, acting for {@code tenant} (null: no
     * X-Keyfleet-Tenant header), as POST /v1/credentials/verify takes it.
     */
    static Map<String, Object> signed(Version version, String secretId, String secretKey, String tenant, long timestamp, String nonce) {
        String bodyHash = RequestSignature.sha256Hex("{}".getBytes(StandardCharsets.UTF_8));
        String canonical = RequestSignature.canonical(version, "POST", "/v1/keys", "page=0", tenant, Long.toString(timestamp), nonce,
                bodyHash);
        Map<String, Object> body = new HashMap<>();
        body.put("secretId", secretId);
        body.put("timestamp", Long.toString(timestamp));
        body.put("nonce", nonce);
        body.put("signature", RequestSignature.sign(secretKey.getBytes(StandardCharsets.UTF_8), canonical));
        if (version != Version.V1) {
            body.put("signatureVersion", version.header());
        }
        body.put("method", "POST");
        body.put("path", "/v1/keys");
        body.put("query", "page=0");
        body.put("tenant", tenant);
        body.put("bodySha256", bodyHash);
        body.put("sourceIp", "203.0.113.7");
        body.put("requiredScope", "keys:read");
        return body;
    }

    static Map<String, Object> signedNow(String secretId, String secretKey) {
        return signed(secretId, secretKey, Instant.now().getEpochSecond(), UUID.randomUUID().toString());
    }

    /** Signed now in the deprecated first format (no signatureVersion), which does not cover the tenant. */
    static Map<String, Object> signedNowV1(String secretId, String secretKey, String tenant) {
        return signed(Version.V1, secretId, secretKey, tenant, Instant.now().getEpochSecond(), UUID.randomUUID().toString());
    }

    /** The headers of an old client signing GET {@code path} in the first format: no version header, no tenant line. */
    static Map<String, String> v1Headers(String secretId, String secretKey, String path) {
        Map<String, String> headers = new HashMap<>(RequestSignature.headers(secretId, secretKey, "GET", path, null, null, null));
        headers.remove(SignedRequestHeaders.SIGNATURE_VERSION);
        headers.put(SignedRequestHeaders.SIGNATURE, RequestSignature.sign(secretKey.getBytes(StandardCharsets.UTF_8),
                RequestSignature.canonical(Version.V1, "GET", path, null, null, headers.get(SignedRequestHeaders.TIMESTAMP),
                        headers.get(SignedRequestHeaders.NONCE), RequestSignature.sha256Hex(null))));
        return headers;
    }

    /** How many v1-signed requests key-service counted with this outcome (accepted, refused). */
    static double v1Uses(MeterRegistry metrics, String outcome) {
        Counter counter = metrics.find(CredentialVerifier.V1_METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    static Response verify(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).post("/v1/credentials/verify");
    }
}
