package io.keyfleet.signing.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.kit.client.ServiceCall;
import io.keyfleet.signing.api.MessageKind;
import io.keyfleet.signing.api.SignatureApi;
import io.keyfleet.signing.api.SignatureApi.KeyRef;
import io.keyfleet.signing.api.SignatureApi.Parts;
import io.keyfleet.signing.api.SignatureApi.SignBatch;
import io.keyfleet.signing.api.SignatureApi.SignBatchResult;
import io.keyfleet.signing.api.SignatureApi.SignRequest;
import io.keyfleet.signing.api.SignatureApi.SignResult;
import io.keyfleet.signing.api.SignatureApi.VerifyBatch;
import io.keyfleet.signing.api.SignatureApi.VerifyRequest;
import io.keyfleet.signing.api.SignatureApi.VerifyResult;
import io.keyfleet.signing.api.SigningServiceApi;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientResponseFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * signing-service-api's contract, held by its producer. Each record of {@link SignatureApi} has a golden file in
 * signing-service-api ({@value #CONTRACT}/&lt;Record&gt;.json: its fields and their JSON types: string, number, boolean,
 * {@code {T}} an object of T values, {@code [T]} an array of T, or another record's name), and the real endpoints, called
 * through the typed client as signing-service's callers call them, must answer in exactly those shapes: a field renamed,
 * added, dropped or of another type fails here before it fails a caller (token-service, the cli, bench). A change that is
 * meant changes the golden file too, and every caller with it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class SignatureContractIT {

    static final String CONTRACT = "contract";
    private static final String TENANT = "tenant-contract";

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/")
    URL base;

    /** The body of the last answer, as it came over the wire (the typed client reads it after this filter). */
    private final AtomicReference<String> lastAnswer = new AtomicReference<>();

    @Test
    void everyRecordOfTheApiHasAGoldenFileAndEveryGoldenFileARecord() throws Exception {
        Set<String> records = records().stream().map(Class::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(records, goldenFiles(), "one " + CONTRACT + "/<Record>.json in signing-service-api per record of SignatureApi");
    }

    @Test
    void theGoldenFilesNameTheRecordsFieldsAndTheirJsonTypes() throws IOException {
        for (Class<?> record : records()) {
            Map<String, String> declared = new LinkedHashMap<>();
            for (RecordComponent component : record.getRecordComponents()) {
                declared.put(component.getName(), jsonType(component.getGenericType()));
            }
            assertEquals(golden(record.getSimpleName()), declared, "SignatureApi." + record.getSimpleName()
                    + " is not what " + CONTRACT + "/" + record.getSimpleName() + ".json pins: a change of the wire format; if it is"
                    + " meant, change the golden file and every caller of signing-service");
        }
    }

    @Test
    void signAndVerifyAnswerInTheShapesOfTheirGoldenFiles() throws IOException {
        String appId = app();
        SignatureApi client = client();
        SignRequest sign = new SignRequest(key(appId), "alipay-rsa2", params(SignatureApiIT.params(appId)));
        assertShape("SignRequest", json.valueToTree(sign));

        SignResult signed = client.sign(TENANT, sign);
        assertShape("SignResult", answer());
        assertThat(signed.keyVersion()).isEqualTo(1);
        assertThat(signed.params()).containsKey("sign");

        Map<String, String> withSign = new LinkedHashMap<>(SignatureApiIT.params(appId));
        withSign.put("sign", signed.params().get("sign"));
        VerifyRequest genuine = new VerifyRequest(key(appId), "alipay-rsa2", MessageKind.REQUEST, params(withSign));
        assertShape("VerifyRequest", json.valueToTree(genuine));
        VerifyResult valid = client.verify(TENANT, genuine);
        assertShape("VerifyResult", answer());
        assertThat(valid.valid()).as(valid.toString()).isTrue();

        withSign.put("biz_content", "{\"out_trade_no\":\"T-2\"}");
        VerifyResult invalid = client.verify(TENANT, new VerifyRequest(key(appId), "alipay-rsa2", MessageKind.REQUEST, params(withSign)));
        assertShape("VerifyResult", answer());
        assertThat(invalid.reason()).isEqualTo("BAD_SIGNATURE");
    }

    @Test
    void theBatchesAnswerInTheShapesOfTheirGoldenFiles() throws IOException {
        String appId = app();
        SignatureApi client = client();
        SignBatch signs = new SignBatch(List.of(new SignRequest(key(appId), "alipay-rsa2", params(SignatureApiIT.params(appId))),
                new SignRequest(key("no-key-" + appId), "alipay-rsa2", params(SignatureApiIT.params(appId)))));
        assertShape("SignBatch", json.valueToTree(signs));
        SignBatchResult signed = client.signBatch(TENANT, signs);
        assertShape("SignBatchResult", answer());
        assertThat(signed.results().get(0).result()).as(signed.toString()).isNotNull();
        assertThat(signed.results().get(1).error()).as(signed.toString()).isNotNull();

        Map<String, String> withSign = new LinkedHashMap<>(SignatureApiIT.params(appId));
        withSign.put("sign", signed.results().get(0).result().params().get("sign"));
        VerifyBatch verifies = new VerifyBatch(List.of(new VerifyRequest(key(appId), "alipay-rsa2", MessageKind.REQUEST, params(withSign)),
                new VerifyRequest(key(appId), "alipay-rsa2", MessageKind.REQUEST, params(SignatureApiIT.params(appId)))));
        assertShape("VerifyBatch", json.valueToTree(verifies));
        client.verifyBatch(TENANT, verifies);
        assertShape("VerifyBatchResult", answer());
    }

    @Test
    void aRefusalIsAProblemWhoseStatusAndCodeTheCallerSees() {
        SignatureApi client = client();
        SignRequest unknownScheme = new SignRequest(key(app()), "no-such-scheme", params(SignatureApiIT.params("x")));

        ClientFailure failure = assertThrows(ClientFailure.class,
                () -> ServiceCall.unguarded(SigningServiceApi.CONFIG_KEY).call(() -> client.sign(TENANT, unknownScheme)));

        assertEquals(400, failure.status);
        assertEquals("UNKNOWN_SCHEME", failure.code);
    }

    /** The typed client as token-service has it, against this test's signing-service. */
    private SignatureApi client() {
        ClientResponseFilter capture = (request, response) -> {
            byte[] body = response.getEntityStream().readAllBytes();
            response.setEntityStream(new ByteArrayInputStream(body));
            lastAnswer.set(new String(body, StandardCharsets.UTF_8));
        };
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(base.toString())).register(capture).build(SignatureApi.class);
    }

    /** An app of this tenant with a key in (stood-in) key-service. */
    private static String app() {
        String appId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        StubbedKeyService.add(UUID.randomUUID().toString(), TENANT, "alipay", appId, "SANDBOX", 1, StubbedKeyService.rsa());
        return appId;
    }

    private static KeyRef key(String appId) {
        return new KeyRef("alipay", appId, "SANDBOX");
    }

    private static Parts params(Map<String, String> params) {
        return new Parts(null, null, null, null, params, null, null, null, null, null, null, null, null, null, null, null);
    }

    private JsonNode answer() throws IOException {
        String body = lastAnswer.getAndSet(null);
        assertNotNull(body, "no answer captured");
        return json.readTree(body);
    }

    /** The JSON is exactly the golden file's record: the same field names, each of its JSON type (or null). */
    private void assertShape(String record, JsonNode value) throws IOException {
        List<String> wrong = new ArrayList<>();
        check(record, value, record, wrong);
        assertEquals(List.of(), wrong, "the wire format of " + record + " is not what " + CONTRACT + "/" + record + ".json pins"
                + " (answer: " + value + "); if the change is meant, change the golden file and every caller of signing-service");
    }

    private void check(String type, JsonNode value, String where, List<String> wrong) throws IOException {
        if (value == null || value.isNull()) {
            return;
        }
        boolean ok = switch (type) {
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> type.startsWith("{") || !type.startsWith("[") ? value.isObject() : value.isArray();
        };
        if (!ok) {
            wrong.add(where + ": not a " + type + ": " + value);
        } else if (type.startsWith("{")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                check(type.substring(1, type.length() - 1), entry.getValue(), where + "." + entry.getKey(), wrong);
            }
        } else if (type.startsWith("[")) {
            for (int i = 0; i < value.size(); i++) {
                check(type.substring(1, type.length() - 1), value.get(i), where + "[" + i + "]", wrong);
            }
        } else if (Character.isUpperCase(type.charAt(0))) {
            Map<String, String> fields = golden(type);
            Set<String> sent = new TreeSet<>();
            value.fieldNames().forEachRemaining(sent::add);
            for (String name : sent) {
                if (!fields.containsKey(name)) {
                    wrong.add(where + "." + name + ": not in " + CONTRACT + "/" + type + ".json");
                }
            }
            for (Map.Entry<String, String> field : fields.entrySet()) {
                if (!value.has(field.getKey())) {
                    wrong.add(where + "." + field.getKey() + ": missing");
                } else {
                    check(field.getValue(), value.get(field.getKey()), where + "." + field.getKey(), wrong);
                }
            }
        }
    }

    /** The golden file's fields and their JSON types. */
    private Map<String, String> golden(String record) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(CONTRACT + "/" + record + ".json")) {
            assertNotNull(in, "missing golden file " + CONTRACT + "/" + record + ".json in signing-service-api");
            JsonNode golden = json.readTree(in);
            assertEquals("SignatureApi." + record, golden.path("record").asText());
            Map<String, String> fields = new LinkedHashMap<>();
            golden.path("fields").fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
            return fields;
        }
    }

    /** A record component's JSON type, in the golden files' terms. */
    private static String jsonType(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            if (parameterized.getRawType() == Map.class) {
                return "{" + jsonType(arguments[1]) + "}";
            }
            if (parameterized.getRawType() == List.class) {
                return "[" + jsonType(arguments[0]) + "]";
            }
        } else if (type instanceof Class<?> c) {
            if (c == String.class || c.isEnum()) {
                return "string";
            }
            if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
                return "number";
            }
            if (c == boolean.class || c == Boolean.class) {
                return "boolean";
            }
            if (c.isRecord() && c.getEnclosingClass() == SignatureApi.class) {
                return c.getSimpleName();
            }
        }
        throw new AssertionError("no JSON type for " + type + " in the golden files' terms: add one");
    }

    private static List<Class<?>> records() {
        return Arrays.stream(SignatureApi.class.getDeclaredClasses()).filter(Class::isRecord).toList();
    }

    /** The golden files' names, without .json, from the directory or the jar of signing-service-api. */
    private static Set<String> goldenFiles() throws Exception {
        URI anchor = SignatureContractIT.class.getClassLoader().getResource(CONTRACT + "/SignResult.json").toURI();
        if ("jar".equals(anchor.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(anchor, Map.of())) {
                return names(jar.provider().getPath(anchor).getParent());
            }
        }
        return names(Path.of(anchor).getParent());
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - 5))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
