package io.keyfleet.keys.onetime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.keys.onetime.ApplyPublicKeyResult.Code;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format of applyPublicKey: exact field names, every value a string, publicKeyInfo only on success. */
class ApplyPublicKeyResultTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void successHasExactlyTheSourceFieldsAllStrings() throws Exception {
        String json = mapper.writeValueAsString(ApplyPublicKeyResult.success(
                new ApplyPublicKeyResult.PublicKeyInfo("u-1", "c2FsdA==", "MIIB")));
        assertThat(json).isEqualTo("{\"result\":{\"resultStatus\":\"S\",\"resultCode\":\"SUCCESS\",\"resultMessage\":\"success\"},"
                + "\"publicKeyInfo\":{\"uniqueId\":\"u-1\",\"salt\":\"c2FsdA==\",\"publicKey\":\"MIIB\"}}");
        assertAllLeavesAreStrings(mapper.readTree(json));
    }

    @Test
    void failuresHaveNoPublicKeyInfoAndTheRightStatus() throws Exception {
        for (Code code : Code.values()) {
            if (code == Code.SUCCESS) {
                continue;
            }
            JsonNode json = mapper.readTree(mapper.writeValueAsString(ApplyPublicKeyResult.failure(code, null)));
            assertThat(fieldNames(json)).containsExactly("result");
            assertThat(fieldNames(json.get("result"))).containsExactly("resultStatus", "resultCode", "resultMessage");
            assertThat(json.at("/result/resultCode").textValue()).isEqualTo(code.name());
            assertThat(json.at("/result/resultStatus").textValue()).isEqualTo(code == Code.UNKNOWN_EXCEPTION ? "U" : "F");
            assertThat(json.at("/result/resultMessage").textValue()).isNotBlank();
            assertAllLeavesAreStrings(json);
        }
    }

    @Test
    void codesAndStatusesAreThoseOfTheSource() {
        assertThat(Code.values()).extracting(Enum::name).containsExactlyInAnyOrder(
                "SUCCESS", "USER_STATUS_ABNORMAL", "PARAM_ILLEGAL", "PROCESS_FAIL", "UNKNOWN_EXCEPTION");
        assertThat(Code.SUCCESS.status).isEqualTo("S");
        assertThat(Code.PARAM_ILLEGAL.status).isEqualTo("F");
        assertThat(Code.USER_STATUS_ABNORMAL.status).isEqualTo("F");
        assertThat(Code.PROCESS_FAIL.status).isEqualTo("F");
        assertThat(Code.UNKNOWN_EXCEPTION.status).isEqualTo("U");
    }

    static void assertAllLeavesAreStrings(JsonNode node) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> assertAllLeavesAreStrings(e.getValue()));
        } else {
            assertThat(node.isTextual()).as("%s is a string", node).isTrue();
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
