package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.global.api.tools.SignatureTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our Antom format against the global-open-sdk-java's {@code SignatureTool}: what we sign, it verifies; what it
 * signs, we verify; a flipped byte fails on both sides.
 */
class AntomSdkInteropTest {

    private static final String PATH = "/ams/api/v1/payments/pay";
    private static final String CLIENT_ID = "SANDBOX_5Y3A2N2YEB3002022";
    private final AntomScheme antom = new AntomScheme();

    @BeforeAll
    static void plainBase64() {
        TestKeys.antomSdkPlainBase64();
    }

    @Test
    void requestsWeSignTheSdkVerifiesAndSignsIdentically() throws Exception {
        var request = GoldenVectorsTest.ANTOM_REQUEST;
        String header = antom.sign(request, TestKeys.appSigner(1)).headers().get("Signature");
        String ours = header.substring(header.indexOf("signature=") + "signature=".length());

        String sdks = SignatureTool.sign("POST", PATH, CLIENT_ID, "1763800000000", request.body(), TestKeys.bare(TestKeys.APP_PRIVATE));
        assertThat(ours).isEqualTo(sdks);
        assertThat(SignatureTool.verify("POST", PATH, CLIENT_ID, "1763800000000", request.body(), ours, TestKeys.bare(TestKeys.APP_PUBLIC))).isTrue();
        assertThat(SignatureTool.verify("POST", PATH, CLIENT_ID, "1763800000000", request.body().replace("100", "101"), ours,
                TestKeys.bare(TestKeys.APP_PUBLIC))).isFalse();
    }

    @Test
    void responsesTheSdkSignsWeVerify() throws Exception {
        String body = "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},\"paymentId\":\"2026112219\"}";
        String responseTime = "2026-11-22T12:00:01+08:00";
        String signature = SignatureTool.sign("POST", PATH, CLIENT_ID, responseTime, body, TestKeys.bare(TestKeys.PROVIDER_PRIVATE));

        MessageParts response = MessageParts.builder().method("POST").path(PATH).body(body).header("client-id", CLIENT_ID)
                .header("response-time", responseTime).header("signature", "algorithm=RSA256,keyVersion=2,signature=" + signature).build();
        SignedMessage message = antom.parse(MessageKind.RESPONSE, response);
        assertThat(TestKeys.providerVerifier().verify(message.content(), message.signature())).isTrue();
        assertThat(message.keyVersionLabel()).isEqualTo("2");
        assertThat(message.timestamp()).isEqualTo(java.time.Instant.parse("2026-11-22T04:00:01Z"));

        SignedMessage changed = antom.parse(MessageKind.RESPONSE, MessageParts.builder().method("POST").path(PATH)
                .body(body.replace("SUCCESS", "SUCCESs")).headers(response.headers()).build());
        assertThat(TestKeys.providerVerifier().verify(changed.content(), changed.signature())).isFalse();
        assertThat(SignatureTool.verify("POST", PATH, CLIENT_ID, responseTime, body.replace("SUCCESS", "SUCCESs"), signature,
                TestKeys.bare(TestKeys.PROVIDER_PUBLIC))).isFalse();
    }

    @Test
    void notificationsCarryRequestTime() throws Exception {
        String body = "{\"notifyType\":\"PAYMENT_RESULT\",\"paymentRequestId\":\"P-1001\"}";
        String signature = SignatureTool.sign("POST", "/notify/antom", CLIENT_ID, "1763800002000", body, TestKeys.bare(TestKeys.PROVIDER_PRIVATE));
        SignedMessage message = antom.parse(MessageKind.NOTIFICATION, MessageParts.builder().method("POST").path("/notify/antom").body(body)
                .header("Client-Id", CLIENT_ID).header("Request-Time", "1763800002000")
                .header("Signature", "algorithm=RSA256,keyVersion=1,signature=" + signature).build());
        assertThat(TestKeys.providerVerifier().verify(message.content(), message.signature())).isTrue();
        assertThat(TestKeys.providerVerifier().verify(message.content(), TestKeys.flipped(message.signature(), 17))).isFalse();
    }
}
