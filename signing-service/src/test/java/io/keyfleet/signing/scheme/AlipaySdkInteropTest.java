package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipayEncrypt;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.v3.util.AlipayConfigUtil;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Our Alipay formats against Alipay's own Java SDKs (alipay-sdk-java for OpenAPI v2, alipay-sdk-java-v3 for v3):
 * what we sign, they verify; what they sign, we verify; a flipped byte fails on both sides. The fixed key pairs stand
 * in for the merchant's app key and Alipay's key.
 */
class AlipaySdkInteropTest {

    private final AlipayRsa2Scheme rsa2 = new AlipayRsa2Scheme();
    private final AlipayV3Scheme v3 = new AlipayV3Scheme();

    @Test
    void v2RequestWeSignTheSdkVerifies() throws Exception {
        Map<String, String> params = new HashMap<>(GoldenVectorsTest.RSA2_PARAMS);
        String sign = rsa2.sign(MessageParts.builder().params(params).build(), TestKeys.appSigner(1)).params().get("sign");

        assertThat(AlipaySignature.getSignContent(params)).isEqualTo(AlipayRsa2Scheme.requestContent(params));
        assertThat(AlipaySignature.rsaCheck(AlipaySignature.getSignContent(params), sign, TestKeys.bare(TestKeys.APP_PUBLIC), "utf-8", "RSA2")).isTrue();
        params.put("biz_content", "{\"out_trade_no\":\"T-1002\"}");
        assertThat(AlipaySignature.rsaCheck(AlipaySignature.getSignContent(params), sign, TestKeys.bare(TestKeys.APP_PUBLIC), "utf-8", "RSA2")).isFalse();
    }

    @Test
    void v2RequestTheSdkSignsWeVerify() throws Exception {
        Map<String, String> params = new HashMap<>(GoldenVectorsTest.RSA2_PARAMS);
        params.put("sign", AlipaySignature.sign(params, TestKeys.bare(TestKeys.APP_PRIVATE), "utf-8", "RSA2"));
        assertThat(params.get("sign")).isEqualTo(TestKeys.VECTORS.getProperty("alipay-rsa2.sign"));

        SignedMessage message = rsa2.parse(MessageKind.REQUEST, MessageParts.builder().params(params).build());
        assertThat(TestKeys.appVerifier().verify(message.content(), message.signature())).isTrue();
        params.put("timestamp", "2026-11-22 12:00:01");
        SignedMessage changed = rsa2.parse(MessageKind.REQUEST, MessageParts.builder().params(params).build());
        assertThat(TestKeys.appVerifier().verify(changed.content(), changed.signature())).isFalse();
    }

    @Test
    void v2NotificationsAsRsaCheckV1SeesThem_withoutSignTypeAndEmptyValues() throws Exception {
        Map<String, String> notification = new LinkedHashMap<>();
        notification.put("notify_time", "2026-11-22 12:00:05");
        notification.put("notify_type", "trade_status_sync");
        notification.put("notify_id", "ac05099524730693a8b330c5ecf72da9786");
        notification.put("app_id", "2021000000000001");
        notification.put("out_trade_no", "T-1001");
        notification.put("trade_status", "TRADE_SUCCESS");
        notification.put("total_amount", "88.88");
        notification.put("buyer_logon_id", "");
        notification.put("subject", "订单 T-1001");
        notification.put("sign_type", "RSA2");
        String content = AlipayRsa2Scheme.notificationContent(notification);
        assertThat(content).doesNotContain("sign_type").doesNotContain("buyer_logon_id");
        notification.put("sign", Base64.getEncoder().encodeToString(TestKeys.providerSigner().sign(content.getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        // what the provider signs (here: our signer with its key), the SDK's check accepts ...
        assertThat(AlipaySignature.rsaCheckV1(new HashMap<>(notification), TestKeys.bare(TestKeys.PROVIDER_PUBLIC), "utf-8", "RSA2")).isTrue();
        // ... and so does ours, with time and id taken out
        SignedMessage message = rsa2.parse(MessageKind.NOTIFICATION, MessageParts.builder().params(notification).build());
        assertThat(TestKeys.providerVerifier().verify(message.content(), message.signature())).isTrue();
        assertThat(message.notificationId()).isEqualTo("ac05099524730693a8b330c5ecf72da9786");
        assertThat(message.timestamp()).isEqualTo(java.time.Instant.parse("2026-11-22T04:00:05Z"));

        // one changed character fails on both sides
        notification.put("total_amount", "88.89");
        assertThat(AlipaySignature.rsaCheckV1(new HashMap<>(notification), TestKeys.bare(TestKeys.PROVIDER_PUBLIC), "utf-8", "RSA2")).isFalse();
        SignedMessage changed = rsa2.parse(MessageKind.NOTIFICATION, MessageParts.builder().params(notification).build());
        assertThat(TestKeys.providerVerifier().verify(changed.content(), changed.signature())).isFalse();
    }

    @Test
    void v2ResponsesAreCheckedOverTheRawResponseTextAsTheSdkCutsIt() throws Exception {
        // deliberately awkward JSON: spaces, escaped quotes, braces inside strings, a nested object, non-ASCII
        String inner = "{ \"code\":\"10000\", \"msg\":\"Success\", \"note\":\"a \\\"quoted\\\" {brace} and \\\\\", "
                + "\"detail\":{\"buyer\":\"张三\",\"amount\":\"88.88\"} }";
        String sign = Base64.getEncoder().encodeToString(TestKeys.providerSigner().sign(inner.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String body = "{\"alipay_trade_query_response\":  " + inner + ",\"alipay_cert_sn\":\"x\",\"sign\":\"" + sign + "\"}";

        String node = "alipay_trade_query_response";
        String sdkCut = AlipaySignature.extractSignContent(body, body.indexOf(node) + node.length() + 2).getSourceData();
        assertThat(sdkCut).isEqualTo(inner);
        assertThat(AlipaySignature.rsaCheck(sdkCut, sign, TestKeys.bare(TestKeys.PROVIDER_PUBLIC), "utf-8", "RSA2")).isTrue();

        for (String apiMethod : new String[]{"alipay.trade.query", null}) {
            SignedMessage message = rsa2.parse(MessageKind.RESPONSE, MessageParts.builder().body(body).apiMethod(apiMethod).build());
            assertThat(new String(message.content(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(inner);
            assertThat(TestKeys.providerVerifier().verify(message.content(), message.signature())).isTrue();
        }

        String tampered = body.replace("88.88", "98.88");
        SignedMessage changed = rsa2.parse(MessageKind.RESPONSE, MessageParts.builder().body(tampered).apiMethod("alipay.trade.query").build());
        assertThat(TestKeys.providerVerifier().verify(changed.content(), changed.signature())).isFalse();
        String sdkTampered = AlipaySignature.extractSignContent(tampered, tampered.indexOf(node) + node.length() + 2).getSourceData();
        assertThat(AlipaySignature.rsaCheck(sdkTampered, sign, TestKeys.bare(TestKeys.PROVIDER_PUBLIC), "utf-8", "RSA2")).isFalse();
    }

    @Test
    void v2ErrorResponsesAreCheckedToo() {
        String inner = "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\"}";
        String sign = Base64.getEncoder().encodeToString(TestKeys.providerSigner().sign(inner.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String body = "{\"error_response\":" + inner + ",\"sign\":\"" + sign + "\"}";
        SignedMessage message = rsa2.parse(MessageKind.RESPONSE, MessageParts.builder().body(body).apiMethod("alipay.trade.query").build());
        assertThat(TestKeys.providerVerifier().verify(message.content(), message.signature())).isTrue();
    }

    @Test
    void v3AuthorizationIsByteForByteTheSdks() throws Exception {
        AlipayConfigUtil sdk = v3Sdk();
        Map<String, String> headers = new HashMap<>();
        headers.put("alipay-app-auth-token", "202611BB-token");
        String body = "{\"out_trade_no\":\"T-1001\"}";
        sdk.sign("POST", "/v3/alipay/trade/query?page=1", body, headers);
        String sdkAuthorization = headers.get("Authorization");

        // the SDK makes up its own nonce and timestamp: sign the same request with them, and the header must be identical
        Matcher m = Pattern.compile("nonce=([^,]*),timestamp=([^,]*),").matcher(sdkAuthorization);
        assertThat(m.find()).isTrue();
        MessageParts request = MessageParts.builder().appId("2021000000000001").nonce(m.group(1)).timestamp(m.group(2))
                .method("POST").path("/v3/alipay/trade/query").query("page=1").body(body).appAuthToken("202611BB-token").build();
        assertThat(v3.sign(request, TestKeys.appSigner(1)).headers().get("Authorization")).isEqualTo(sdkAuthorization);

        // and what the SDK signed, our request check accepts; a flipped body byte is refused
        MessageParts received = MessageParts.builder().method("POST").path("/v3/alipay/trade/query").query("page=1").body(body)
                .header("Authorization", sdkAuthorization).header("alipay-app-auth-token", "202611BB-token").build();
        SignedMessage message = v3.parse(MessageKind.REQUEST, received);
        assertThat(TestKeys.appVerifier().verify(message.content(), message.signature())).isTrue();
        SignedMessage changed = v3.parse(MessageKind.REQUEST, MessageParts.builder().method("POST").path("/v3/alipay/trade/query")
                .query("page=1").body(body.replace('1', '2')).headers(received.headers()).build());
        assertThat(TestKeys.appVerifier().verify(changed.content(), changed.signature())).isFalse();
    }

    @Test
    void v3ResponsesTheSdkAcceptsWeAcceptAndViceVersa() throws Exception {
        String body = "{\"trade_no\":\"2026112222001\",\"out_trade_no\":\"T-1001\",\"total_amount\":\"88.88\"}";
        String timestamp = "1763800001000";
        String nonce = "9a7c1e2b-resp";
        AlipayConfigUtil alipaySide = new AlipayConfigUtil();
        alipaySide.setCharset("UTF-8");
        alipaySide.setPrivateKey(TestKeys.bare(TestKeys.PROVIDER_PRIVATE));
        String signature = alipaySide.generateSign(timestamp + "\n" + nonce + "\n" + body + "\n");

        MessageParts response = MessageParts.builder().body(body).header("alipay-timestamp", timestamp)
                .header("alipay-nonce", nonce).header("alipay-signature", signature).build();
        SignedMessage message = v3.parse(MessageKind.RESPONSE, response);
        assertThat(TestKeys.providerVerifier().verify(message.content(), message.signature())).isTrue();
        assertThat(v3Sdk().verify(body, signature, null, timestamp, nonce)).isTrue();

        // the content we build is what the SDK checks: sign ours with the provider key, the SDK accepts it
        String ours = Base64.getEncoder().encodeToString(TestKeys.providerSigner().sign(message.content()));
        assertThat(ours).isEqualTo(signature);

        String flipped = body.replace("88.88", "88.89");
        assertThat(v3Sdk().verify(flipped, signature, null, timestamp, nonce)).isFalse();
        SignedMessage changed = v3.parse(MessageKind.RESPONSE, MessageParts.builder().body(flipped).headers(response.headers()).build());
        assertThat(TestKeys.providerVerifier().verify(changed.content(), changed.signature())).isFalse();
    }

    @Test
    void alipayAesIsTheSdksAes() throws Exception {
        String key = "aH7sV0bYc3kQ2mXo9pL1tA==";
        String plaintext = "{\"out_trade_no\":\"T-1001\",\"subject\":\"订单\"}";
        String ours = AlipayAesContent.encrypt(plaintext, key);
        assertThat(ours).isEqualTo(AlipayEncrypt.encryptContent(plaintext, "AES", key, "utf-8"));
        assertThat(AlipayEncrypt.decryptContent(ours, "AES", key, "utf-8")).isEqualTo(plaintext);
        assertThat(AlipayAesContent.decrypt(AlipayEncrypt.encryptContent(plaintext, "AES", key, "utf-8"), key)).isEqualTo(plaintext);
    }

    private static AlipayConfigUtil v3Sdk() {
        AlipayConfigUtil sdk = new AlipayConfigUtil();
        sdk.setAppId("2021000000000001");
        sdk.setCharset("UTF-8");
        sdk.setPrivateKey(TestKeys.bare(TestKeys.APP_PRIVATE));
        sdk.setAlipayPublicKey(TestKeys.bare(TestKeys.PROVIDER_PUBLIC));
        return sdk;
    }
}
