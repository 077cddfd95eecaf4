package io.keyfleet.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void theCanonicalStringIsSixLinesWithoutATrailingNewline() {
        String canonical = RequestSignature.canonical("post", "/v1/keys", "page=1&size=2", "1760000000", "n-1",
                RequestSignature.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(canonical).isEqualTo("POST\n/v1/keys\npage=1&size=2\n1760000000\nn-1\n"
                + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }

    @Test
    void noQueryAndNoBodyGiveEmptyLineAndTheHashOfNothing() {
        assertThat(RequestSignature.sha256Hex(null)).isEqualTo(EMPTY_SHA256);
        assertThat(RequestSignature.canonical("GET", "/v1/credentials", null, "1", "abc", EMPTY_SHA256))
                .isEqualTo("GET\n/v1/credentials\n\n1\nabc\n" + EMPTY_SHA256);
    }

    @Test
    void theSignatureIsBase64HmacSha256AndIsCheckedExactly() throws Exception {
        byte[] key = "secret-key".getBytes(StandardCharsets.UTF_8);
        String canonical = RequestSignature.canonical("GET", "/x", "", "1", "n", EMPTY_SHA256);
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
