package io.keyfleet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.auth.RequestSignature.Version;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String JSON_SHA256 = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    @Test
    void theV2StringIsEightLinesWithTheTenantAndWithoutATrailingNewline() {
        String canonical = RequestSignature.canonical(Version.V2, "post", "/v1/keys", "page=1&size=2", "acme", "1760000000", "n-1",
                RequestSignature.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(canonical).isEqualTo("v2\nPOST\n/v1/keys\npage=1&size=2\nacme\n1760000000\nn-1\n" + JSON_SHA256);
    }

    @Test
    void noQueryNoTenantAndNoBodyGiveEmptyLinesAndTheHashOfNothing() {
        assertThat(RequestSignature.sha256Hex(null)).isEqualTo(EMPTY_SHA256);
        assertThat(RequestSignature.canonical(Version.V2, "GET", "/v1/credentials", null, null, "1", "abc", EMPTY_SHA256))
                .isEqualTo("v2\nGET\n/v1/credentials\n\n\n1\nabc\n" + EMPTY_SHA256);
    }

    @Test
    void theDeprecatedV1StringHasNoTenantLine() {
        assertThat(RequestSignature.canonical(Version.V1, "post", "/v1/keys", "page=1&size=2", "acme", "1760000000", "n-1", JSON_SHA256))
                .isEqualTo("POST\n/v1/keys\npage=1&size=2\n1760000000\nn-1\n" + JSON_SHA256);
    }

    /** The finding of issue 15: a signature must not hold for another tenant than the one it was made for. */
    @Test
    void aV2SignatureHoldsOnlyForTheTenantItWasMadeFor() {
        byte[] key = "secret-key".getBytes(StandardCharsets.UTF_8);
        String signature = RequestSignature.sign(key, RequestSignature.canonical(Version.V2, "GET", "/v1/keys", null, "acme", "1", "n",
                EMPTY_SHA256));
        assertThat(RequestSignature.matches(key, RequestSignature.canonical(Version.V2, "GET", "/v1/keys", null, "acme", "1", "n",
                EMPTY_SHA256), signature)).isTrue();
        for (String otherTenant : new String[] {"globex", "", null, "acme "}) {
            assertThat(RequestSignature.matches(key, RequestSignature.canonical(Version.V2, "GET", "/v1/keys", null, otherTenant, "1", "n",
                    EMPTY_SHA256), signature)).as("tenant '%s'", otherTenant).isFalse();
        }
        // nor as the other format
        assertThat(RequestSignature.matches(key, RequestSignature.canonical(Version.V1, "GET", "/v1/keys", null, "acme", "1", "n",
                EMPTY_SHA256), signature)).isFalse();
    }

    @Test
    void theVersionHeaderNamesTheFormatAndItsAbsenceIsV1() {
        assertThat(Version.of(null)).isEqualTo(Version.V1);
        assertThat(Version.of(" ")).isEqualTo(Version.V1);
        assertThat(Version.of("1")).isEqualTo(Version.V1);
        assertThat(Version.of("2")).isEqualTo(Version.V2);
        assertThatThrownBy(() -> Version.of("3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SignedRequestHeaders.SIGNATURE_VERSION);
        assertThatThrownBy(() -> Version.of("v2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientHeadersAreV2AndCarryTheTenantTheySigned() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = RequestSignature.headers("kfid_1", "secret-key", "POST", "/v1/keys", "a=1", "acme", body);
        assertThat(headers).containsEntry(SignedRequestHeaders.SECRET_ID, "kfid_1")
                .containsEntry(SignedRequestHeaders.SIGNATURE_VERSION, "2")
                .containsEntry(SignedRequestHeaders.TENANT, "acme");
        String canonical = RequestSignature.canonical(Version.V2, "POST", "/v1/keys", "a=1", "acme",
                headers.get(SignedRequestHeaders.TIMESTAMP), headers.get(SignedRequestHeaders.NONCE), JSON_SHA256);
        assertThat(RequestSignature.matches("secret-key".getBytes(StandardCharsets.UTF_8), canonical,
                headers.get(SignedRequestHeaders.SIGNATURE))).isTrue();

        Map<String, String> own = RequestSignature.headers("kfid_1", "secret-key", "GET", "/v1/keys", null, null, null);
        assertThat(own).doesNotContainKey(SignedRequestHeaders.TENANT);
        assertThat(RequestSignature.matches("secret-key".getBytes(StandardCharsets.UTF_8), RequestSignature.canonical(Version.V2, "GET",
                "/v1/keys", null, null, own.get(SignedRequestHeaders.TIMESTAMP), own.get(SignedRequestHeaders.NONCE), EMPTY_SHA256),
                own.get(SignedRequestHeaders.SIGNATURE))).isTrue();
    }

    @Test
    void theSignatureIsBase64HmacSha256AndIsCheckedExactly() throws Exception {
        byte[] key = "secret-key".getBytes(StandardCharsets.UTF_8);
        String canonical = RequestSignature.canonical(Version.V2, "GET", "/x", "", "t", "1", "n", EMPTY_SHA256);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));

        assertThat(RequestSignature.sign(key, canonical)).isEqualTo(expected);
        assertThat(RequestSignature.matches(key, canonical, expected)).isTrue();
        assertThat(RequestSignature.matches("other".getBytes(StandardCharsets.UTF_8), canonical, expected)).isFalse();
        assertThat(RequestSignature.matches(key, canonical + "x", expected)).isFalse();
        assertThat(RequestSignature.matches(key, canonical, "not base64 !")).isFalse();
        assertThat(RequestSignature.matches(key, canonical, "")).isFalse();
    }
}
