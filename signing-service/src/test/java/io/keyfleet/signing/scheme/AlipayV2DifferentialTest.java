package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AbstractAlipayClient;
import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayParser;
import com.alipay.api.AlipayRequest;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.SignItem;
import com.alipay.api.internal.parser.json.ObjectJsonParser;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.response.AlipayTradeQueryResponse;
import io.keyfleet.signing.crypto.RsaVerifier;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Keyfleet's alipay-rsa2 scheme against alipay-sdk-java itself, on random but realistic messages: for each direction
 * (request signing, notification checks in both forms, response checks) the SDK and the scheme must agree byte for
 * byte on the signed content and the signature, and on the verdict, for the genuine message and for a tampered one.
 *
 * <p>Seeded and reproducible: {@code -Dconformance.seed=…} replays a run, {@code -Dconformance.cases=200000} runs
 * longer (default 2000 per direction, a few seconds of RSA). A failure names the seed, the case and its input. Below
 * the random run, each rule where the two once disagreed has its own minimal case.
 */
class AlipayV2DifferentialTest {

    private static final long SEED = Long.getLong("conformance.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("conformance.cases", 2000);
    private static final String APP_PRIVATE = TestKeys.bare(TestKeys.APP_PRIVATE);
    private static final String APP_PUBLIC = TestKeys.bare(TestKeys.APP_PUBLIC);
    private static final String PROVIDER_PRIVATE = TestKeys.bare(TestKeys.PROVIDER_PRIVATE);
    private static final String PROVIDER_PUBLIC = TestKeys.bare(TestKeys.PROVIDER_PUBLIC);
    private static final String[] CHARSETS = {"utf-8", "UTF-8", "GBK", "gbk", "GB2312"};

    private final AlipayRsa2Scheme scheme = new AlipayRsa2Scheme();
    private final RsaVerifier appVerifier = TestKeys.appVerifier();
    private final RsaVerifier providerVerifier = TestKeys.providerVerifier();

    // ---- the random run ------------------------------------------------------------------------------------------

    @Test
    void requestsSignedByBothAreIdentical() {
        run("request", this::requestCase);
    }

    @Test
    void notificationsInBothFormsGetTheSdksVerdict() {
        run("notification", this::notificationCase);
    }

    @Test
    void responsesGetTheSdksVerdict() {
        run("response", this::responseCase);
    }

    private interface Case {
        /** Checks one case; returns a description of the input for the failure message. */
        void check(SplittableRandom random, StringBuilder input) throws Exception;
    }

    private static void run(String direction, Case check) {
        System.out.printf("AlipayV2DifferentialTest %s: seed %d, %d cases (-Dconformance.seed=%d to replay)%n", direction, SEED, CASES, SEED);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        IntStream.range(0, CASES).parallel().forEach(i -> {
            if (failures.size() >= 3) {
                return;
            }
            StringBuilder input = new StringBuilder();
            try {
                check.check(new SplittableRandom(SEED * 1_000_003L + i * 0x9E3779B97F4A7C15L + direction.hashCode()), input);
            } catch (Throwable e) {
                failures.add(direction + " case " + i + " (seed " + SEED + "): " + e + "\n  input: " + abbreviate(input.toString()));
            }
        });
        assertThat(failures).as("SDK and Keyfleet disagree").isEmpty();
    }

    /** The SDK signs the request (AlipaySignature.sign, as its client does), we sign it: same content, same signature. */
    private void requestCase(SplittableRandom random, StringBuilder input) throws Exception {
        String charset = pick(random, CHARSETS);
        Map<String, String> params = requestParams(random, charset);
        boolean explicit = random.nextInt(4) == 0;
        if (explicit || random.nextInt(5) > 0) {
            params.put("charset", charset);
        } else {
            params.remove("charset");
            charset = "UTF-8";
        }
        input.append("params=").append(params).append(" explicitCharset=").append(explicit ? charset : null);

        String sdkContent = AlipaySignature.getSignContent(params);
        String sdkSign = AlipaySignature.sign(params, APP_PRIVATE, charset, "RSA2");
        MessageParts parts = MessageParts.builder().params(params).charset(explicit ? charset : null).build();
        assertThat(AlipayRsa2Scheme.requestContent(params)).isEqualTo(sdkContent);
        String ours = scheme.sign(parts, TestKeys.appSigner(1)).params().get("sign");
        assertThat(ours).as("signature").isEqualTo(sdkSign);

        Map<String, String> signed = new HashMap<>(params);
        signed.put("sign", ours);
        assertThat(AlipaySignature.rsaCheckV2(new HashMap<>(signed), APP_PUBLIC, charset, "RSA2")).isTrue();
        assertThat(oursVerify(MessageKind.REQUEST, MessageParts.builder().params(signed).charset(explicit ? charset : null).build(), appVerifier))
                .isEqualTo("VERIFIED");

        Map<String, String> tampered = tamper(random, signed, charset);
        input.append(" tampered=").append(tampered);
        assertThat(AlipaySignature.rsaCheckV2(new HashMap<>(tampered), APP_PUBLIC, charset, "RSA2")).isFalse();
        assertThat(oursVerify(MessageKind.REQUEST, MessageParts.builder().params(tampered).charset(explicit ? charset : null).build(), appVerifier))
                .isEqualTo("REFUSED");
    }

    /** Alipay signs a notification in form V1 or V2; rsaCheckV1/V2 and our check (explicit form or AUTO) agree. */
    private void notificationCase(SplittableRandom random, StringBuilder input) throws Exception {
        String charset = pick(random, CHARSETS);
        Map<String, String> params = notificationParams(random, charset);
        boolean v2 = random.nextBoolean();
        String form = pick(random, new String[]{v2 ? "V2" : "V1", "AUTO", null});
        input.append("params=").append(params).append(" signedAs=").append(v2 ? "V2" : "V1").append(" form=").append(form);

        String sdkContent = v2 ? AlipaySignature.getSignCheckContentV2(new HashMap<>(params)) : AlipaySignature.getSignCheckContentV1(new HashMap<>(params));
        String sign = AlipaySignature.rsaSign(sdkContent, PROVIDER_PRIVATE, charset, "RSA2");
        Map<String, String> signed = new LinkedHashMap<>(params);
        signed.put("sign", sign);

        SignedMessage message = scheme.parse(MessageKind.NOTIFICATION, MessageParts.builder().params(signed).notificationForm(form).build());
        assertThat(message.candidates()).as("our forms include the SDK's content")
                .anySatisfy(content -> assertThat(content).isEqualTo(sdkContent.getBytes(charset)));
        assertThat(sdkCheck(signed, v2, charset)).isTrue();
        assertThat(oursVerify(MessageKind.NOTIFICATION, MessageParts.builder().params(signed).notificationForm(form).build(), providerVerifier))
                .isEqualTo("VERIFIED");

        // the other form: the SDK's other check and ours with the other form agree
        boolean otherSdk = sdkCheck(signed, !v2, charset);
        String other = oursVerify(MessageKind.NOTIFICATION, MessageParts.builder().params(signed).notificationForm(v2 ? "V1" : "V2").build(),
                providerVerifier);
        assertThat(other).isEqualTo(otherSdk ? "VERIFIED" : "REFUSED");

        Map<String, String> tampered = tamper(random, signed, charset);
        input.append(" tampered=").append(tampered);
        assertThat(sdkCheck(tampered, false, charset) || sdkCheck(tampered, true, charset)).isFalse();
        assertThat(oursVerify(MessageKind.NOTIFICATION, MessageParts.builder().params(tampered).notificationForm("AUTO").build(), providerVerifier))
                .isEqualTo("REFUSED");
    }

    /** Alipay answers; the SDK's client checks the answer (AbstractAlipayClient.checkResponseSign), so do we. */
    private void responseCase(SplittableRandom random, StringBuilder input) throws Exception {
        String charset = pick(random, new String[]{"UTF-8", "GBK"});
        int shape = random.nextInt(10);
        boolean error = shape == 3 || shape == 4;
        String node = error && random.nextBoolean() ? "error_response" : "alipay_trade_query_response";
        String inner = responseNode(random, charset, error);
        // Alipay signs the text before it escapes slashes at times: the SDK then checks again with \/ as /
        String signedText = random.nextBoolean() ? inner.replace("\\/", "/") : inner;
        String sign = AlipaySignature.rsaSign(signedText, PROVIDER_PRIVATE, charset, "RSA2");
        boolean unsigned = shape == 4 || shape == 5;
        String space = random.nextBoolean() ? "" : pick(random, new String[]{" ", "\n  ", "\t"});
        String nodeJson = "\"" + node + "\":" + space + inner;
        String signJson = unsigned ? "" : "\"sign\":\"" + sign + "\"";
        String body;
        if (random.nextBoolean() || unsigned) {
            body = "{" + nodeJson + (unsigned ? "" : "," + space + signJson) + (random.nextBoolean() ? ",\"alipay_cert_sn\":\"x1\"" : "") + "}";
        } else {
            body = "{" + signJson + "," + nodeJson + "}";
        }
        String expected;
        if (shape == 6) {
            // signature wrapping: a second, unsigned answer after the signed one
            body = body.substring(0, body.length() - 1) + ",\"" + node + "\":{\"code\":\"10000\",\"msg\":\"Success\",\"total_amount\":\"0.01\"}}";
            expected = "REFUSED";
        } else if (shape == 7) {
            body = body.replaceFirst("\"code\":\"(10000|40004|20000)\"", "\"code\":\"10001\"");
            expected = body.contains("\"code\":\"10001\"") ? "REFUSED" : "VERIFIED";
        } else if (unsigned) {
            expected = error ? "UNSIGNED_ERROR" : "REFUSED";
        } else {
            expected = "VERIFIED";
        }
        input.append("charset=").append(charset).append(" signedText=").append(signedText).append(" body=").append(body);

        String sdk = sdkResponseVerdict(body, charset);
        String ours = oursVerify(MessageKind.RESPONSE, MessageParts.builder().body(body).apiMethod("alipay.trade.query").charset(charset).build(),
                providerVerifier);
        assertThat(ours).as("ours").isEqualTo(sdk);
        assertThat(sdk).as("expected").isEqualTo(expected);
        if (expected.equals("VERIFIED")) {
            SignItem item = new ObjectJsonParser<>(AlipayTradeQueryResponse.class).getSignItem(new AlipayTradeQueryRequest(), body);
            SignedMessage message = scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(body).charset(charset).build());
            assertThat(new String(message.content(), Charset.forName(charset))).isEqualTo(item.getSignSourceDate());
        }
    }

    // ---- named regression cases, one per rule ----------------------------------------------------------------------

    @Test
    void blankValuesAreLeftOutAsTheSdkDoes_whitespaceIsCharacterIsWhitespace_otherValuesUntrimmed() throws Exception {
        Map<String, String> params = new HashMap<>(GoldenVectorsTest.RSA2_PARAMS);
        params.put("prod_code", "\t\n");
        params.put("return_url", "   ");
        params.put("notify_url", "\u3000\r\u000B\f\u001F");
        params.put("subject", " keep me ");
        params.put("body", "\u00A0");
        params.put(" ", "blank name");
        String content = AlipayRsa2Scheme.requestContent(params);
        assertThat(content).isEqualTo(AlipaySignature.getSignContent(params))
                .doesNotContain("prod_code").doesNotContain("return_url").doesNotContain("notify_url").doesNotContain("blank name")
                .contains("&subject= keep me &").contains("body=\u00A0&");
        assertThat(scheme.sign(MessageParts.builder().params(params).build(), TestKeys.appSigner(1)).params().get("sign"))
                .isEqualTo(AlipaySignature.sign(params, APP_PRIVATE, "utf-8", "RSA2"));
    }

    @Test
    void charsetGbkIsSignedOverGbkBytes_fromTheParameterOrTheExplicitInput() throws Exception {
        Map<String, String> params = new HashMap<>(GoldenVectorsTest.RSA2_PARAMS);
        params.put("charset", "GBK");
        params.put("biz_content", "{\"out_trade_no\":\"T-1001\",\"subject\":\"订单：测试，￥88\"}");
        String sdk = AlipaySignature.sign(params, APP_PRIVATE, "GBK", "RSA2");
        assertThat(scheme.sign(MessageParts.builder().params(params).build(), TestKeys.appSigner(1)).params().get("sign")).isEqualTo(sdk);

        params.remove("charset");
        assertThat(scheme.sign(MessageParts.builder().params(params).charset("gbk").build(), TestKeys.appSigner(1)).params().get("sign"))
                .isEqualTo(AlipaySignature.sign(params, APP_PRIVATE, "GBK", "RSA2"));
        assertThat(scheme.sign(MessageParts.builder().params(params).build(), TestKeys.appSigner(1)).params().get("sign"))
                .isEqualTo(AlipaySignature.sign(params, APP_PRIVATE, "UTF-8", "RSA2"));

        // text GBK cannot encode would become '?' in the SDK (so two texts would share a signature): refused
        params.put("subject", "emoji \uD83D\uDE00");
        assertThatThrownBy(() -> scheme.sign(MessageParts.builder().params(params).charset("GBK").build(), TestKeys.appSigner(1)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("GBK cannot encode");
        assertThatThrownBy(() -> scheme.sign(MessageParts.builder().params(params).charset("ISO-8859-1").build(), TestKeys.appSigner(1)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("UTF-8, GBK, GB2312");
    }

    @Test
    void notificationSignedInTheFormWithSignType_rsaCheckV2_isAcceptedByAutoAndV2Only() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("notify_id", "n-v2");
        params.put("notify_type", "trade_status_sync");
        params.put("out_trade_no", "T-1001");
        params.put("sign_type", "RSA2");
        params.put("charset", "utf-8");
        params.put("sign", AlipaySignature.rsaSign(AlipaySignature.getSignCheckContentV2(new HashMap<>(params)), PROVIDER_PRIVATE, "utf-8", "RSA2"));
        assertThat(AlipaySignature.rsaCheckV2(new HashMap<>(params), PROVIDER_PUBLIC, "utf-8", "RSA2")).isTrue();
        assertThat(AlipaySignature.rsaCheckV1(new HashMap<>(params), PROVIDER_PUBLIC, "utf-8", "RSA2")).isFalse();

        assertThat(oursVerify(MessageKind.NOTIFICATION, MessageParts.builder().params(params).build(), providerVerifier)).isEqualTo("VERIFIED");
        assertThat(oursVerify(MessageKind.NOTIFICATION, MessageParts.builder().params(params).notificationForm("V2").build(), providerVerifier)).isEqualTo("VERIFIED");
        assertThat(oursVerify(MessageKind.NOTIFICATION, MessageParts.builder().params(params).notificationForm("V1").build(), providerVerifier)).isEqualTo("REFUSED");
        assertThatThrownBy(() -> scheme.parse(MessageKind.NOTIFICATION, MessageParts.builder().params(params).notificationForm("V3").build()))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void responseSignedWithUnescapedSlashesIsCheckedAgainWithSlashes() throws Exception {
        String inner = "{\"code\":\"10000\",\"msg\":\"Success\",\"url\":\"https:\\/\\/example.com\\/r\"}";
        String sign = AlipaySignature.rsaSign(inner.replace("\\/", "/"), PROVIDER_PRIVATE, "UTF-8", "RSA2");
        String body = "{\"alipay_trade_query_response\":" + inner + ",\"sign\":\"" + sign + "\"}";
        assertThat(sdkResponseVerdict(body, "UTF-8")).isEqualTo("VERIFIED");
        assertThat(oursVerify(MessageKind.RESPONSE, MessageParts.builder().body(body).apiMethod("alipay.trade.query").build(), providerVerifier))
                .isEqualTo("VERIFIED");
    }

    @Test
    void secondUnsignedResponseNodeAndDuplicateTopLevelKeysAreRefused() throws Exception {
        String inner = "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\"}";
        String sign = AlipaySignature.rsaSign(inner, PROVIDER_PRIVATE, "UTF-8", "RSA2");
        String signed = "{\"alipay_trade_query_response\":" + inner + ",\"sign\":\"" + sign + "\"";
        String wrapped = signed + ",\"alipay_trade_query_response\":{\"code\":\"10000\",\"msg\":\"Success\",\"trade_status\":\"TRADE_SUCCESS\"}}";
        assertThat(sdkResponseVerdict(wrapped, "UTF-8")).isEqualTo("REFUSED");
        assertThatThrownBy(() -> scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(wrapped).apiMethod("alipay.trade.query").build()))
                .isInstanceOfSatisfying(RefusedMessageException.class, e -> assertThat(e.reason()).isEqualTo("DUPLICATE_RESPONSE_NODE"));

        String otherNode = signed + ",\"error_response\":{\"code\":\"10000\"}}";
        assertThatThrownBy(() -> scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(otherNode).build()))
                .isInstanceOfSatisfying(RefusedMessageException.class, e -> assertThat(e.reason()).isEqualTo("DUPLICATE_RESPONSE_NODE"));
        String twoSigns = signed + ",\"sign\":\"AAAA\"}";
        assertThatThrownBy(() -> scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(twoSigns).build()))
                .isInstanceOfSatisfying(RefusedMessageException.class, e -> assertThat(e.reason()).isEqualTo("DUPLICATE_JSON_KEY"));
        assertThat(oursVerify(MessageKind.RESPONSE, MessageParts.builder().body(signed + "}").build(), providerVerifier)).isEqualTo("VERIFIED");
    }

    @Test
    void largeBizContentOfSeveralMegabytesSignsAsTheSdkSigns() throws Exception {
        Map<String, String> params = new HashMap<>(GoldenVectorsTest.RSA2_PARAMS);
        params.put("biz_content", "{\"out_trade_no\":\"T-1\",\"goods_detail\":\"" + "商品/x&y=z ".repeat(400_000) + "\"}");
        assertThat(params.get("biz_content").length()).isGreaterThan(3_000_000);
        assertThat(scheme.sign(MessageParts.builder().params(params).build(), TestKeys.appSigner(1)).params().get("sign"))
                .isEqualTo(AlipaySignature.sign(params, APP_PRIVATE, "utf-8", "RSA2"));
    }

    @Test
    void unsignedErrorAnswerIsAnExplicitVerdictWithTheProvidersCode_whereTheSdkSkipsTheCheck() throws Exception {
        String body = "{\"alipay_trade_query_response\":{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\","
                + "\"sub_msg\":\"交易不存在\"}}";
        assertThat(sdkResponseVerdict(body, "UTF-8")).isEqualTo("UNSIGNED_ERROR");
        assertThatThrownBy(() -> scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(body).apiMethod("alipay.trade.query").build()))
                .isInstanceOfSatisfying(RefusedMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo("UNSIGNED_ERROR_RESPONSE");
                    assertThat(e.providerCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
                    assertThat(e.getMessage()).contains("40004");
                });
        // without a sub_code the SDK counts it as a success and checks it: it fails, and so do we
        String noSubCode = "{\"alipay_trade_query_response\":{\"code\":\"20000\",\"msg\":\"Service Currently Unavailable\"}}";
        assertThat(sdkResponseVerdict(noSubCode, "UTF-8")).isEqualTo("REFUSED");
        assertThat(oursVerify(MessageKind.RESPONSE, MessageParts.builder().body(noSubCode).build(), providerVerifier)).isEqualTo("REFUSED");
    }

    // ---- both sides' verdicts --------------------------------------------------------------------------------------

    /** VERIFIED, UNSIGNED_ERROR (refused before any check as an unsigned error answer) or REFUSED (anything else). */
    private String oursVerify(MessageKind kind, MessageParts parts, RsaVerifier verifier) {
        SignedMessage message;
        try {
            message = scheme.parse(kind, parts);
        } catch (RefusedMessageException e) {
            return e.reason().equals("UNSIGNED_ERROR_RESPONSE") ? "UNSIGNED_ERROR" : "REFUSED";
        } catch (MalformedMessageException e) {
            return "REFUSED";
        }
        for (byte[] content : message.candidates()) {
            if (verifier.verify(content, message.signature())) {
                return "VERIFIED";
            }
        }
        return "REFUSED";
    }

    private static boolean sdkCheck(Map<String, String> params, boolean v2, String charset) throws AlipayApiException {
        return v2 ? AlipaySignature.rsaCheckV2(new HashMap<>(params), PROVIDER_PUBLIC, charset, "RSA2")
                : AlipaySignature.rsaCheckV1(new HashMap<>(params), PROVIDER_PUBLIC, charset, "RSA2");
    }

    private static final Method CHECK_RESPONSE_SIGN = checkResponseSign();

    private static Method checkResponseSign() {
        try {
            Method method = AbstractAlipayClient.class.getDeclaredMethod("checkResponseSign", AlipayRequest.class, AlipayParser.class,
                    String.class, boolean.class);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the SDK's client does with the answer to alipay.trade.query: parses it, then calls its own (private)
     * checkResponseSign with the parsed answer's isSuccess(). VERIFIED when the signature was checked, UNSIGNED_ERROR
     * when the client took an unsigned error answer without a check, REFUSED when it threw.
     */
    private static String sdkResponseVerdict(String body, String charset) throws Exception {
        DefaultAlipayClient client = new DefaultAlipayClient("https://openapi.alipay.com/gateway.do", "2021000000000001",
                APP_PRIVATE, "json", charset, PROVIDER_PUBLIC, "RSA2");
        ObjectJsonParser<AlipayTradeQueryResponse> parser = new ObjectJsonParser<>(AlipayTradeQueryResponse.class);
        AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
        boolean success;
        try {
            success = parser.parse(body).isSuccess();
            CHECK_RESPONSE_SIGN.invoke(client, request, parser, body, success);
        } catch (InvocationTargetException e) {
            // the client throws AlipayApiException, or a RuntimeException around one from its SignChecker
            if (e.getCause() instanceof AlipayApiException || e.getCause().getCause() instanceof AlipayApiException) {
                return "REFUSED";
            }
            throw e;
        } catch (AlipayApiException e) {
            return "REFUSED";
        }
        SignItem item = parser.getSignItem(request, body);
        return !success && AlipayRsa2Scheme.blank(item.getSign()) ? "UNSIGNED_ERROR" : "VERIFIED";
    }

    // ---- the generator ---------------------------------------------------------------------------------------------

    private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:,;!?*()[]'~@#$^|";
    private static final String TRICKY = "=&%+\n\r\t\\/\"{}";
    private static final String CJK = "订单测试商品支付宝交易成功退款金额中国上海杭州买家卖家收款付款账户余额红包优惠券";
    private static final String[] OTHER = {"é", "ü", "ß", "€", "￥", "：", "，", "。", "「", "」", "\u3000", "\u00A0", "α", "Ж", "①",
            "\uD83D\uDE00", "\uD83C\uDDE8\uD83C\uDDF3", "한", "ｱ", "ä", "ñ", "\u2028"};
    private static final String[] WHITESPACE = {"", " ", "   ", "\t", "\n", "\t\n", "\r\n ", "\u3000", "\u000B", "\u001F \u001C"};

    private static String text(SplittableRandom random, String charset, int maxLength) {
        Charset cs = Charset.forName(charset);
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            String piece = switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> String.valueOf(ASCII.charAt(random.nextInt(ASCII.length())));
                case 4 -> String.valueOf(TRICKY.charAt(random.nextInt(TRICKY.length())));
                case 5, 6, 7 -> String.valueOf(CJK.charAt(random.nextInt(CJK.length())));
                default -> OTHER[random.nextInt(OTHER.length)];
            };
            if (cs.newEncoder().canEncode(piece)) {
                text.append(piece);
            }
        }
        return text.toString();
    }

    /** A value that is blank, whitespace-padded or ordinary text. */
    private static String value(SplittableRandom random, String charset, int maxLength) {
        return switch (random.nextInt(8)) {
            case 0 -> pick(random, WHITESPACE);
            case 1 -> pick(random, WHITESPACE) + text(random, charset, maxLength) + pick(random, WHITESPACE);
            default -> text(random, charset, maxLength);
        };
    }

    /** A JSON object as a client or Alipay writes it: escaped slashes and quotes, nested objects, arrays. */
    private static String json(SplittableRandom random, String charset, int depth) {
        StringBuilder json = new StringBuilder("{");
        int fields = 1 + random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(pick(random, new String[]{"out_trade_no", "subject", "body", "total_amount", "url", "extend_params",
                    "goods_detail", "memo", "buyer_id"})).append(i).append("\":");
            int kind = random.nextInt(depth > 2 ? 3 : 5);
            switch (kind) {
                case 0, 1 -> json.append(jsonString(text(random, charset, 24)));
                case 2 -> json.append(random.nextInt(100000)).append('.').append(random.nextInt(100));
                case 3 -> json.append(json(random, charset, depth + 1));
                default -> json.append('[').append(jsonString("https://example.com/a/b?c=d&e=" + text(random, charset, 4)))
                        .append(',').append(json(random, charset, depth + 1)).append(']');
            }
        }
        return json.append('}').toString();
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String bigText(SplittableRandom random, String charset) {
        return random.nextInt(100) == 0 ? text(random, charset, 40).repeat(2_000 + random.nextInt(8_000)) : "";
    }

    private static Map<String, String> requestParams(SplittableRandom random, String charset) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", "20210000000" + random.nextInt(100000));
        params.put("method", pick(random, new String[]{"alipay.trade.query", "alipay.trade.pay", "alipay.trade.page.pay", "alipay.trade.refund"}));
        params.put("format", "JSON");
        params.put("sign_type", "RSA2");
        params.put("timestamp", "2026-11-22 12:" + (10 + random.nextInt(50)) + ":00");
        params.put("version", "1.0");
        String biz = json(random, charset, 0);
        String big = bigText(random, charset);
        params.put("biz_content", big.isEmpty() ? biz : biz.substring(0, biz.length() - 1) + ",\"big\":" + jsonString(big) + "}");
        if (random.nextBoolean()) {
            params.put("app_auth_token", "202611BB" + text(random, "UTF-8", 12).replaceAll("[^A-Za-z0-9]", "x"));
        }
        for (String optional : new String[]{"prod_code", "return_url", "notify_url", "terminal_type", "alipay_sdk"}) {
            if (random.nextInt(3) == 0) {
                params.put(optional, value(random, charset, 30));
            }
        }
        int extra = random.nextInt(4);
        for (int i = 0; i < extra; i++) {
            params.put(random.nextInt(10) == 0 ? pick(random, WHITESPACE) : "x_" + text(random, "UTF-8", 6).replaceAll("[^a-z]", "k"),
                    value(random, charset, 40));
        }
        return params;
    }

    private static Map<String, String> notificationParams(SplittableRandom random, String charset) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("notify_time", "2026-11-22 12:00:0" + random.nextInt(10));
        params.put("notify_type", pick(random, new String[]{"trade_status_sync", "open_public_verifygw", "alipay.open.mini.order"}));
        params.put("notify_id", Long.toHexString(random.nextLong()));
        params.put("app_id", "20210000000" + random.nextInt(100000));
        params.put("charset", charset);
        params.put("version", "1.0");
        if (random.nextInt(6) > 0) {
            params.put("sign_type", pick(random, new String[]{"RSA2", "RSA2", " ", ""}));
        }
        params.put("out_trade_no", "T-" + random.nextInt(1_000_000));
        params.put("trade_status", pick(random, new String[]{"TRADE_SUCCESS", "WAIT_BUYER_PAY", "TRADE_CLOSED"}));
        params.put("total_amount", random.nextInt(10000) + "." + random.nextInt(10) + random.nextInt(10));
        params.put("subject", value(random, charset, 30));
        params.put("body", value(random, charset, 60));
        params.put("buyer_logon_id", value(random, charset, 12));
        if (random.nextBoolean()) {
            params.put("fund_bill_list", "[{\"amount\":\"1.00\",\"fundChannel\":\"ALIPAYACCOUNT\",\"url\":\"https:\\/\\/a.b\\/c\"}]");
        }
        if (random.nextBoolean()) {
            params.put("passback_params", text(random, charset, 40));
        }
        if (random.nextInt(4) == 0) {
            params.put("biz_content", json(random, charset, 0) + bigText(random, charset));
        }
        return params;
    }

    private static String responseNode(SplittableRandom random, String charset, boolean error) {
        String body = json(random, charset, 1);
        String head = error
                ? "\"code\":\"" + pick(random, new String[]{"40004", "20000", "40002"}) + "\",\"msg\":\"Business Failed\",\"sub_code\":\""
                        + pick(random, new String[]{"ACQ.TRADE_NOT_EXIST", "isp.unknow-error", "isv.invalid-app-id"}) + "\",\"sub_msg\":"
                        + jsonString(text(random, charset, 12))
                : "\"code\":\"10000\",\"msg\":\"Success\"";
        return "{" + head + "," + body.substring(1);
    }

    /** The same message with one signed value changed (or a blank value made non-blank). */
    private static Map<String, String> tamper(SplittableRandom random, Map<String, String> signed, String charset) {
        Map<String, String> tampered = new LinkedHashMap<>(signed);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> e : signed.entrySet()) {
            if (!e.getKey().equals("sign") && !e.getKey().equals("sign_type") && !e.getKey().equals("charset")
                    && !AlipayRsa2Scheme.blank(e.getKey())) {
                names.add(e.getKey());
            }
        }
        String name = names.get(random.nextInt(names.size()));
        String old = tampered.get(name);
        tampered.put(name, AlipayRsa2Scheme.blank(old) ? old + "1" : old + text(random, charset, 1).replaceAll("\\s", "") + "Z");
        return tampered;
    }

    private static <T> T pick(SplittableRandom random, T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String abbreviate(String text) {
        String escaped = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return escaped.length() > 4000 ? escaped.substring(0, 4000) + "… (" + escaped.length() + " chars)" : escaped;
    }
}
