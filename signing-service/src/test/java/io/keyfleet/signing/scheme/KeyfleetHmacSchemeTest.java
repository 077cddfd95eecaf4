package io.keyfleet.signing.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.signing.crypto.HmacSigner;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** keyfleet-hmac produces what key-service's verifier (RequestSignature, shared in service-kit) accepts. */
class KeyfleetHmacSchemeTest {

    private static final byte[] SECRET = "kf-test-secret-key".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatWeSignRequestSignatureAccepts() {
        MessageParts request = MessageParts.builder().method("post").path("/v1/credentials/verify").query("a=1&b=2").body("{\"x\":1}").build();
        var headers = new KeyfleetHmacScheme().sign(request, new HmacSigner(1, SECRET)).headers();
        String canonical = RequestSignature.canonical("POST", "/v1/credentials/verify", "a=1&b=2", headers.get(KeyfleetHmacScheme.TIMESTAMP),
                headers.get(KeyfleetHmacScheme.NONCE), RequestSignature.sha256Hex("{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(RequestSignature.matches(SECRET, canonical, headers.get(KeyfleetHmacScheme.SIGNATURE))).isTrue();
        assertThat(RequestSignature.matches("other".getBytes(StandardCharsets.UTF_8), canonical, headers.get(KeyfleetHmacScheme.SIGNATURE))).isFalse();

        SignedMessage message = new KeyfleetHmacScheme().parse(MessageKind.REQUEST, MessageParts.builder().method("POST")
                .path("/v1/credentials/verify").query("a=1&b=2").body("{\"x\":1}").headers(headers).build());
        assertThat(new HmacSigner(1, SECRET).verify(message.content(), message.signature())).isTrue();
        assertThat(new HmacSigner(1, SECRET).verify(TestKeys.flipped(message.content(), 0), message.signature())).isFalse();
    }
}
