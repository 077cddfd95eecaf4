package io.keyfleet.keys.contract;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyfleet.keys.api.AppCertificateApi;
import io.keyfleet.keys.api.AppSecretMaterialApi;
import io.keyfleet.keys.api.CredentialVerifyApi;
import io.keyfleet.keys.api.KeyMaterialApi;
import io.keyfleet.keys.api.PoolSecretApi;
import io.keyfleet.keys.api.ProviderCertificateApi;
import io.keyfleet.keys.api.ProviderKeyApi;
import io.keyfleet.keys.support.Tenancy;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.keyfleet.testkit.TestCa;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * key-service's side of key-service-api: the records its callers read are pinned, field by field with their JSON types, in
 * {@code key-service-api/src/main/resources/contract/key-service-api.json}, and every endpoint of the API interfaces is called
 * here and must answer in exactly that shape. A field renamed, added, dropped or retyped in a record (or serialized
 * differently by a resource) fails this test, in key-service's own build, before any caller's. Changing the golden file is a
 * change of the contract: the callers that read the field must be changed with it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class ApiContractIT {

    private static final List<Class<?>> APIS = List.of(KeyMaterialApi.class, AppSecretMaterialApi.class, PoolSecretApi.class,
            ProviderKeyApi.class, ProviderCertificateApi.class, AppCertificateApi.class, CredentialVerifyApi.class);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private static final TestCa.Authority ROOT = TestCa.root("CN=Contract Root,O=Keyfleet Test,C=CN", "SHA256withRSA");

    @Test
    void theRecordsAreTheGoldenOnes() throws IOException {
        Map<String, Map<String, String>> actual = new TreeMap<>();
        for (Class<?> api : APIS) {
            for (Method method : api.getDeclaredMethods()) {
                collect(method.getGenericReturnType(), actual);
                for (Type parameter : method.getGenericParameterTypes()) {
                    collect(parameter, actual);
                }
            }
        }
        assertThat(JSON.writeValueAsString(actual)).as("key-service-api's records against contract/key-service-api.json")
                .isEqualTo(JSON.writeValueAsString(golden()));
    }

    @Test
    void everyEndpointAnswersInItsRecordsShape() throws Exception {
        String tenant = newTenant();
        String appId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        ExtractableResponse<Response> key = json(as(tenant), "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys").then().statusCode(201).extract();
        String keyId = key.path("keyId");
        json(as(tenant), "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"certificate\":\""
                + pem(TestCa.leaf(ROOT, "CN=Contract Alipay", TestCa.rsa().getPublic())) + "\",\"rootCertificate\":\"" + pem(ROOT.certificate())
                + "\"}").put("/v1/provider-certificates").then().statusCode(200);
        java.security.PublicKey appPublicKey = KeyFactory.getInstance("RSA").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode((String) key.path("publicKeyBase64"))));
        json(as(tenant), "{\"certificate\":\"" + pem(TestCa.leaf(ROOT, "CN=" + appId, appPublicKey)) + "\"}")
                .put("/v1/keys/{k}/certificates", keyId).then().statusCode(200);
        json(as(tenant), "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\",\"type\":\"AES\"}")
                .post("/v1/app-secrets").then().statusCode(201);
        json(as(tenant), "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\""
                + Base64.getEncoder().encodeToString(TestCa.rsa().getPublic().getEncoded()) + "\"}").put("/v1/provider-keys")
                .then().statusCode(200);
        String poolId = "pool-" + UUID.randomUUID().toString().substring(0, 8);
        json(service("sync-service", tenant), "{\"version\":1,\"secret\":\"contract-secret\"}")
                .put("/internal/v1/secrets/pools/{p}", poolId).then().statusCode(204);

        RequestSpecification signing = service("signing-service", tenant);
        assertShape(signing.get("/internal/v1/keys?tenantId={t}&provider=alipay&appId={a}&environment=SANDBOX", tenant, appId),
                "KeyMaterialApi.KeySummary");
        assertShape(service("signing-service", tenant).get("/internal/v1/keys/{k}", keyId), "KeyMaterialApi.KeySummary");
        assertShape(service("signing-service", tenant).get("/internal/v1/keys/{k}/versions/1/material", keyId),
                "KeyMaterialApi.VersionMaterial");
        assertShape(service("signing-service", tenant).get("/internal/v1/app-secrets?tenantId={t}&provider=alipay&appId={a}"
                + "&environment=SANDBOX&type=AES", tenant, appId), "AppSecretMaterialApi.SecretMaterial");
        assertShape(service("signing-service", tenant).get("/v1/provider-keys?provider=alipay&environment=SANDBOX"),
                "[ProviderKeyApi.ProviderKeyView");
        assertShape(service("signing-service", tenant).get("/v1/provider-certificates?provider=alipay&environment=SANDBOX"),
                "[ProviderCertificateApi.ProviderCertificateView");
        assertShape(service("signing-service", tenant).get("/v1/keys/{k}/certificates", keyId), "[AppCertificateApi.AppCertificateView");
        assertShape(service("sync-service", tenant).get("/internal/v1/secrets/pools/{p}?version=1", poolId), "PoolSecretApi.SecretView");
        service("sync-service", tenant).delete("/internal/v1/secrets/pools/{p}?version=1", poolId).then().statusCode(204);
        String apiKey = Tenancy.apiKey(tenant, "keys:read");
        assertShape(json(service("token-service", null), "{\"apiKey\":\"" + apiKey + "\",\"sourceIp\":\"127.0.0.1\","
                + "\"requiredScope\":\"keys:read\"}").post("/v1/credentials/verify"), "Verification");
    }

    /** The answer's JSON has exactly the golden fields of {@code record} ("[" + name: an array of them), recursively. */
    private static void assertShape(Response response, String record) throws IOException {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertShape(JSON.readTree(response.asString()), record, record);
    }

    private static void assertShape(JsonNode node, String type, String where) throws IOException {
        if (node.isNull()) {
            return; // any field may be null (validUntil of a CURRENT version, a refused verification's ids)
        }
        if (type.startsWith("[")) {
            assertThat(node.isArray()).as(where + " is an array").isTrue();
            assertThat(node.size()).as(where + " has elements to check").isPositive();
            for (JsonNode element : node) {
                assertShape(element, type.substring(1), where + "[]");
            }
            return;
        }
        Map<String, String> fields = golden().get(type);
        if (fields == null) {
            assertThat(jsonType(node)).as(where).isEqualTo(type);
            return;
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as(where + "'s fields").containsExactlyInAnyOrderElementsOf(fields.keySet());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            assertShape(field.getValue(), fields.get(field.getKey()), where + "." + field.getKey());
        }
    }

    private static String jsonType(JsonNode node) {
        return node.isTextual() ? "string" : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : node.isArray() ? "array" : "object";
    }

    private static void collect(Type type, Map<String, Map<String, String>> records) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, records);
            }
            return;
        }
        if (!(type instanceof Class<?> c) || !c.isRecord() || records.containsKey(name(c))) {
            return;
        }
        Map<String, String> fields = new TreeMap<>();
        records.put(name(c), fields);
        for (RecordComponent component : c.getRecordComponents()) {
            fields.put(component.getName(), typeName(component.getGenericType()));
            collect(component.getGenericType(), records);
        }
    }

    /** A field's JSON type: string, number, boolean, a record's name, "[" + an element type for arrays. */
    private static String typeName(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw
                && Collection.class.isAssignableFrom(raw)) {
            return "[" + typeName(parameterized.getActualTypeArguments()[0]);
        }
        Class<?> c = (Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type);
        if (c.isRecord()) {
            return name(c);
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c.isPrimitive() || Number.class.isAssignableFrom(c)) {
            return "number";
        }
        return "string"; // String, UUID, Instant, Duration, enums
    }

    private static String name(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : c.getEnclosingClass().getSimpleName() + "." + c.getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> golden() throws IOException {
        try (InputStream in = ApiContractIT.class.getResourceAsStream("/contract/key-service-api.json")) {
            assertThat(in).as("contract/key-service-api.json on the class path (key-service-api)").isNotNull();
            return new TreeMap<>(new ObjectMapper().readValue(in, Map.class));
        }
    }

    private static RequestSpecification json(RequestSpecification spec, String body) {
        return spec.contentType(ContentType.JSON).body(body);
    }

    private static String pem(java.security.cert.X509Certificate certificate) {
        return TestCa.pem(certificate).replace("\n", "\\n");
    }
}
