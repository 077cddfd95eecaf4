package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.signing.crypto.HmacSigner;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixed inputs, fixed key, exact expected strings. The expected signatures were computed by OpenSSL
 * (src/test/resources/golden/make-vectors.sh), not by this code; RSA PKCS#1 v1.5 signatures are deterministic.
 */
class GoldenVectorsTest {

    static final Map<String, String> RSA2_PARAMS = rsa2Params();
    static final MessageParts V3_REQUEST = MessageParts.builder().appId("2021000000000001")
            .nonce("3c8d6f5e-0b7a-4f1e-9b2d-7a6c5e4d3b2a").timestamp("1763800000000").method("POST")
            .path("/v3/alipay/trade/query").query("page=1").body("{\"out_trade_no\":\"T-1001\"}").appAuthToken("202611BB-token").build();
    static final MessageParts ANTOM_REQUEST = MessageParts.builder().method("POST").path("/ams/api/v1/payments/pay")
            .clientId("SANDBOX_5Y3A2N2YEB3002022").timestamp("1763800000000")
            .body("{\"paymentRequestId\":\"P-1001\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"100\"}}").build();

    @Test
    void alipayRsa2SignsTheSortedNonEmptyParameters() {
        assertThat(AlipayRsa2Scheme.requestContent(RSA2_PARAMS)).isEqualTo("app_id=2021000000000001"
                + "&biz_content={\"out_trade_no\":\"T-1001\"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2"
                + "&timestamp=2026-11-22 12:00:00&version=1.0");
        Attachments signed = new AlipayRsa2Scheme().sign(MessageParts.builder().params(RSA2_PARAMS).build(), TestKeys.appSigner(1));
        assertThat(signed.params()).containsExactly(Map.entry("sign", TestKeys.VECTORS.getProperty("alipay-rsa2.sign")));
        assertThat(signed.headers()).isEmpty();
    }

    @Test
    void alipayV3AuthorizationHeader() {
        Attachments signed = new AlipayV3Scheme().sign(V3_REQUEST, TestKeys.appSigner(1));
        assertThat(signed.headers()).containsExactly(
                Map.entry("Authorization", TestKeys.VECTORS.getProperty("alipay-v3.authorization")),
                Map.entry("alipay-app-auth-token", "202611BB-token"));
    }

    @Test
    void antomSignatureHeaderWithKeyVersionAndUrlEncodedSignature() {
        Attachments signed = new AntomScheme().sign(ANTOM_REQUEST, TestKeys.appSigner(3));
        assertThat(signed.headers()).containsExactly(
                Map.entry("Signature", TestKeys.VECTORS.getProperty("antom.signature")),
                Map.entry("client-id", "SANDBOX_5Y3A2N2YEB3002022"),
                Map.entry("request-time", "1763800000000"));
    }

    @Test
    void keyfleetHmacHeaders() {
        MessageParts request = MessageParts.builder().method("POST").path("/v1/keys").query("page=0").body("{}")
                .timestamp("1763800000").nonce("n-1001").build();
        Attachments signed = new KeyfleetHmacScheme().sign(request, new HmacSigner(1, "kf-test-secret-key".getBytes(StandardCharsets.UTF_8)));
        assertThat(signed.headers()).containsOnly(Map.entry("X-Keyfleet-Timestamp", "1763800000"),
                Map.entry("X-Keyfleet-Nonce", "n-1001"),
                Map.entry("X-Keyfleet-Signature", TestKeys.VECTORS.getProperty("keyfleet-hmac.signature")),
                Map.entry("X-Keyfleet-Signature-Version", "2"));
    }

    @Test
    void whatEachSchemeSignsItsOwnRequestCheckAccepts_andOneFlippedBodyByteIsRefused() {
        var v3 = new AlipayV3Scheme();
        MessageParts received = MessageParts.builder().method("POST").path("/v3/alipay/trade/query").query("page=1")
                .body(V3_REQUEST.body()).headers(v3.sign(V3_REQUEST, TestKeys.appSigner(1)).headers()).build();
        SignedMessage message = v3.parse(MessageKind.REQUEST, received);
        assertThat(TestKeys.appVerifier().verify(message.content(), message.signature())).isTrue();
        assertThat(message.timestamp().toEpochMilli()).isEqualTo(1763800000000L);
        assertThat(TestKeys.appVerifier().verify(TestKeys.flipped(message.content(), message.content().length - 3), message.signature())).isFalse();

        var antom = new AntomScheme();
        MessageParts antomReceived = MessageParts.builder().method("POST").path(ANTOM_REQUEST.path()).body(ANTOM_REQUEST.body())
                .headers(antom.sign(ANTOM_REQUEST, TestKeys.appSigner(3)).headers()).build();
        SignedMessage antomMessage = antom.parse(MessageKind.NOTIFICATION, antomReceived);
        assertThat(antomMessage.keyVersionLabel()).isEqualTo("3");
        assertThat(TestKeys.appVerifier().verify(antomMessage.content(), antomMessage.signature())).isTrue();
        assertThat(TestKeys.appVerifier().verify(antomMessage.content(), TestKeys.flipped(antomMessage.signature(), 0))).isFalse();
    }

    @Test
    void malformedPartsSayWhatIsWrong() {
        assertThatThrownBy(() -> new AlipayRsa2Scheme().parse(MessageKind.NOTIFICATION, MessageParts.builder().param("sign", "%%%").build()))
                .isInstanceOf(MalformedMessageException.class).hasMessage("params.sign is not base64");
        assertThatThrownBy(() -> new AlipayV3Scheme().parse(MessageKind.RESPONSE, MessageParts.builder().build()))
                .isInstanceOf(MalformedMessageException.class).hasMessage("headers.alipay-timestamp is required");
        assertThatThrownBy(() -> new AntomScheme().parse(MessageKind.RESPONSE, MessageParts.builder().method("POST").path("/p")
                .header("client-id", "c").header("response-time", "yesterday").header("signature", "signature=abc").build()))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("headers.response-time must be Unix milliseconds or an ISO-8601 time with offset");
        assertThatThrownBy(() -> new AlipayRsa2Scheme().parse(MessageKind.RESPONSE, MessageParts.builder().body("{\"sign\":\"AA==\"}").build()))
                .isInstanceOf(MalformedMessageException.class).hasMessage("body has no *_response node");
    }

    private static Map<String, String> rsa2Params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("method", "alipay.trade.query");
        params.put("app_id", "2021000000000001");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", "2026-11-22 12:00:00");
        params.put("version", "1.0");
        params.put("notify_url", "");
        params.put("biz_content", "{\"out_trade_no\":\"T-1001\"}");
        return params;
    }
}
