package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.RequestSignature.Version;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.signing.crypto.HmacSigner;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** keyfleet-hmac produces what key-service's verifier (RequestSignature, in auth-contracts) accepts. */
class KeyfleetHmacSchemeTest {

    private static final byte[] SECRET = "kf-test-secret-key".getBytes(StandardCharsets.UTF_8);
    private static final String BODY_SHA256 = RequestSignature.sha256Hex("{\"x\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void whatWeSignRequestSignatureAcceptsInFormatV2ForTheTenantItNames() {
        MessageParts request = MessageParts.builder().method("post").path("/v1/credentials/verify").query("a=1&b=2").body("{\"x\":1}")
                .header(SignedRequestHeaders.TENANT, "acme").build();
        Map<String, String> headers = new KeyfleetHmacScheme().sign(request, new HmacSigner(1, SECRET)).headers();
        assertThat(headers).containsEntry(KeyfleetHmacScheme.SIGNATURE_VERSION, "2");
        String canonical = RequestSignature.canonical(Version.V2, "POST", "/v1/credentials/verify", "a=1&b=2", "acme",
                headers.get(KeyfleetHmacScheme.TIMESTAMP), headers.get(KeyfleetHmacScheme.NONCE), BODY_SHA256);
        assertThat(RequestSignature.matches(SECRET, canonical, headers.get(KeyfleetHmacScheme.SIGNATURE))).isTrue();
        assertThat(RequestSignature.matches("other".getBytes(StandardCharsets.UTF_8), canonical, headers.get(KeyfleetHmacScheme.SIGNATURE))).isFalse();
        // issue 15: the signature does not hold for another tenant
        String forOther = RequestSignature.canonical(Version.V2, "POST", "/v1/credentials/verify", "a=1&b=2", "globex",
                headers.get(KeyfleetHmacScheme.TIMESTAMP), headers.get(KeyfleetHmacScheme.NONCE), BODY_SHA256);
        assertThat(RequestSignature.matches(SECRET, forOther, headers.get(KeyfleetHmacScheme.SIGNATURE))).isFalse();

        Map<String, String> received = new HashMap<>(headers);
        received.put(SignedRequestHeaders.TENANT, "acme");
        SignedMessage message = parse(received);
        assertThat(new HmacSigner(1, SECRET).verify(message.content(), message.signature())).isTrue();
        assertThat(new HmacSigner(1, SECRET).verify(TestKeys.flipped(message.content(), 0), message.signature())).isFalse();
        received.put(SignedRequestHeaders.TENANT, "globex");
        assertThat(new HmacSigner(1, SECRET).verify(parse(received).content(), message.signature())).isFalse();
    }

    @Test
    void aMessageWithoutVersionIsCheckedAsV1AndAnUnknownVersionIsMalformed() {
        Map<String, String> headers = new HashMap<>(Map.of(KeyfleetHmacScheme.TIMESTAMP, "1760000000", KeyfleetHmacScheme.NONCE, "n1",
                KeyfleetHmacScheme.SIGNATURE, "AAAA", SignedRequestHeaders.TENANT, "acme"));
        assertThat(new String(parse(headers).content(), StandardCharsets.UTF_8)).isEqualTo(RequestSignature.canonical(Version.V1, "POST",
                "/v1/credentials/verify", "a=1&b=2", null, "1760000000", "n1", BODY_SHA256));
        headers.put(KeyfleetHmacScheme.SIGNATURE_VERSION, "7");
        assertThatThrownBy(() -> parse(headers)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(KeyfleetHmacScheme.SIGNATURE_VERSION);
    }

    private static SignedMessage parse(Map<String, String> headers) {
        return new KeyfleetHmacScheme().parse(MessageKind.REQUEST, MessageParts.builder().method("POST")
                .path("/v1/credentials/verify").query("a=1&b=2").body("{\"x\":1}").headers(headers).build());
    }
}
