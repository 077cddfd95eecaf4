package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.alipay.global.api.net.DefaultHttpRPC;
import com.alipay.global.api.tools.SignatureTool;
import com.alipay.global.api.tools.WebhookTool;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential conformance of {@link AntomScheme} against Antom's own SDK (global-open-sdk-java): a seeded generator makes
 * realistic requests, responses and notifications; both sides sign and verify them and must agree byte for byte on the
 * signed content and the signature, and on the verdict for genuine and tampered messages.
 *
 * <p>Verdicts: the SDK says true, false, or throws. A throw from URL-decoding (a broken {@code %} escape) means the SDK
 * could not judge the header, which is the only case Keyfleet may call MALFORMED; any other throw (a base64 value the
 * decoder refuses, a signature of the wrong length) is a "no". Responses are read as the SDK's HTTP client reads them
 * ({@link DefaultHttpRPC#getResponseSignature}), notifications as its {@link WebhookTool} does.
 *
 * <p>{@code -Dconformance.seed=…} replays a run, {@code -Dconformance.cases=200000} runs longer (default 2000 per direction).
 */
class AntomDifferentialTest {

    private static final long SEED = Long.getLong("conformance.seed", 20261205L);
    private static final int CASES = Integer.getInteger("conformance.cases", 2000);
    private static final String APP_PRIVATE = TestKeys.bare(TestKeys.APP_PRIVATE);
    private static final String APP_PUBLIC = TestKeys.bare(TestKeys.APP_PUBLIC);
    private static final String PROVIDER_PRIVATE = TestKeys.bare(TestKeys.PROVIDER_PRIVATE);
    private static final String PROVIDER_PUBLIC = TestKeys.bare(TestKeys.PROVIDER_PUBLIC);
    private static final String[] PATHS = {"/ams/api/v1/payments/pay", "/ams/api/v1/payments/inquiryPayment",
            "/ams/sandbox/api/v1/payments/refund", "/ams/api/v1/authorizations/consult", "/notify/antom", "/v1/webhooks/antom/payment"};
    private static final String[] TEXT = {"a", "Z", "9", " ", "-", "_", ".", "\\\"", "\\\\", "\\/", "/", "\\n", "\\u00e9", "é", "中文",
            "支付宝", "😀", "e\u0301", "ø", "€", "%2B", "+", "=", "&", "?", "<", "'", ","};
    private final AntomScheme antom = new AntomScheme();

    @BeforeAll
    static void plainBase64() {
        TestKeys.antomSdkPlainBase64();
    }

    // ---- the random runs -----------------------------------------------------------------------------------------

    @Test
    void requestsWeSignAreTheSdksBytes_andBothSidesJudgeThemAlike() throws Exception {
        System.out.printf("AntomDifferentialTest requests: seed=%d cases=%d%n", SEED, CASES);
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            Message m = message(random, MessageKind.REQUEST);
            String label = random.nextInt(4) == 0 ? null : Integer.toString(1 + random.nextInt(5));
            String context = describe(i, m, "label=" + label);
            MessageParts request = MessageParts.builder().method(m.method).path(m.path).clientId(m.clientId).timestamp(m.time)
                    .body(m.body).keyVersionLabel(label).build();
            String header = antom.sign(request, TestKeys.appSigner(7)).headers().get("Signature");
            String ours = header.substring(header.indexOf(",signature=") + ",signature=".length());

            check(context, AntomScheme.content(m.method, m.path, m.clientId, m.time, m.body),
                    SignatureTool.genSignContent(m.method, m.path, m.clientId, m.time, m.body), "signed content");
            check(context, ours, SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body, APP_PRIVATE), "signature");
            check(context, header, "algorithm=RSA256,keyVersion=" + (label == null ? "7" : label) + ",signature=" + ours, "header");

            Message received = random.nextBoolean() ? m : tampered(m, random);
            String verdict = sdkWebhookVerdict(received, header, APP_PUBLIC);
            check(context + " received " + describe(i, received, ""), ourVerdict(MessageKind.REQUEST, received, header, false),
                    verdict, "verdict");
            check(context, verdict, received == m ? "true" : "false", "verdict on " + (received == m ? "genuine" : "tampered"));
        }
    }

    @Test
    void responsesAndNotificationsTheSdkSignsBothSidesJudgeAlike() throws Exception {
        System.out.printf("AntomDifferentialTest responses/notifications: seed=%d (+1) cases=%d%n", SEED, CASES);
        Random random = new Random(SEED + 1);
        int judgedRaw = 0;
        for (int i = 0; i < CASES; i++) {
            MessageKind kind = random.nextBoolean() ? MessageKind.RESPONSE : MessageKind.NOTIFICATION;
            Message m = message(random, kind);
            String encoded = SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body, PROVIDER_PRIVATE);
            String value = switch (random.nextInt(10)) {
                case 0, 1, 2 -> URLDecoder.decode(encoded, StandardCharsets.UTF_8); // raw base64, as some senders do
                case 3 -> encoded.substring(0, encoded.length() / 2) + "%" + encoded.substring(encoded.length() / 2); // broken escape
                case 4 -> flipOneChar(encoded, random);
                default -> encoded;
            };
            String label = random.nextInt(10) == 0 ? "v" + random.nextInt(100) : Integer.toString(1 + random.nextInt(9));
            String algorithm = random.nextInt(20) == 0 ? "RSA512" : "RSA256"; // unsigned, and the SDK does not read it
            String header = "algorithm=" + algorithm + ",keyVersion=" + label + ",signature=" + value;
            Message received = random.nextInt(3) == 0 ? tampered(m, random) : m;
            String context = describe(i, received, kind + " header=" + header);

            byte[] sdkContent = SignatureTool.genSignContent(m.method, m.path, m.clientId, m.time, m.body).getBytes(StandardCharsets.UTF_8);
            try {
                check(context, antom.parse(kind, parts(kind, m, header)).content(), sdkContent, "signed content");
            } catch (MalformedMessageException e) {
                check(context, "unjudged", sdkWebhookVerdict(m, header, PROVIDER_PUBLIC), "verdict (Keyfleet: MALFORMED, " + e.getMessage() + ")");
            }
            String sdk = kind == MessageKind.RESPONSE ? sdkClientVerdict(received, header, PROVIDER_PUBLIC)
                    : sdkWebhookVerdict(received, header, PROVIDER_PUBLIC);
            check(context, ourVerdict(kind, received, header, true), sdk, "verdict");
            if (!value.equals(encoded) && !"unjudged".equals(sdk)) {
                judgedRaw++;
            }
        }
        assertThat(judgedRaw).as("raw and altered signature values were generated and judged").isPositive();
    }

    // ---- one named case per rule the conformance run found -------------------------------------------------------

    /** keyVersion is the provider's label: a genuine webhook naming keyVersion=2 (or no number at all) verifies. */
    @Test
    void keyVersionIsALabel_notRequired_whenVerifying_andChosenByTheCallerWhenSigning() throws Exception {
        Message m = new Message("POST", "/notify/antom", "SANDBOX_5Y3A2N2YEB3002022", "1763800002000", "{\"notifyType\":\"PAYMENT_RESULT\"}");
        String signature = SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body, PROVIDER_PRIVATE);
        for (String label : List.of("2", "abc")) {
            String header = "algorithm=RSA256,keyVersion=" + label + ",signature=" + signature;
            assertThat(sdkWebhookVerdict(m, header, PROVIDER_PUBLIC)).isEqualTo("true");
            SignedMessage parsed = antom.parse(MessageKind.NOTIFICATION, parts(MessageKind.NOTIFICATION, m, header));
            assertThat(parsed.keyVersionLabel()).isEqualTo(label);
            assertThat(TestKeys.providerVerifier().verify(parsed.content(), parsed.signature())).isTrue();
        }

        MessageParts request = MessageParts.builder().method(m.method).path(m.path).clientId(m.clientId).timestamp(m.time)
                .body(m.body).keyVersionLabel("2").build();
        assertThat(antom.sign(request, TestKeys.appSigner(1)).headers().get("Signature")).isEqualTo("algorithm=RSA256,keyVersion=2,signature="
                + SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body, APP_PRIVATE));
        assertThat(antom.sign(MessageParts.builder().method(m.method).path(m.path).clientId(m.clientId).timestamp(m.time).body(m.body)
                .build(), TestKeys.appSigner(3)).headers().get("Signature")).startsWith("algorithm=RSA256,keyVersion=3,signature=");
        assertThatThrownBy(() -> antom.sign(MessageParts.builder().method(m.method).path(m.path).clientId(m.clientId).body(m.body)
                .keyVersionLabel("2,signature=x").build(), TestKeys.appSigner(1)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("keyVersionLabel");
    }

    /** Antom takes bodies over 1 MiB: one of 3 MiB signs to the SDK's bytes and verifies on both sides. */
    @Test
    void bodiesOverOneMebibyteSignAndVerifyLikeTheSdk() throws Exception {
        StringBuilder body = new StringBuilder("{\"items\":[");
        while (body.length() < 3 * 1024 * 1024) {
            body.append("{\"name\":\"商品 \\/ item\",\"amount\":{\"currency\":\"USD\",\"value\":\"100\"}},");
        }
        Message m = new Message("POST", "/ams/api/v1/payments/pay", "SANDBOX_5Y3A2N2YEB3002022", "1763800000000",
                body.append("{}]}").toString());
        String header = antom.sign(MessageParts.builder().method(m.method).path(m.path).clientId(m.clientId).timestamp(m.time)
                .body(m.body).build(), TestKeys.appSigner(1)).headers().get("Signature");
        assertThat(header).endsWith(",signature=" + SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body, APP_PRIVATE));
        assertThat(ourVerdict(MessageKind.REQUEST, m, header, false)).isEqualTo("true").isEqualTo(sdkWebhookVerdict(m, header, APP_PUBLIC));
    }

    /**
     * A raw (not URL-encoded) base64 signature is judged, as the SDK judges it: without '+' it verifies; with '+' the
     * SDK's URL-decoding makes it a space and the signature fails; neither is MALFORMED.
     */
    @Test
    void rawBase64SignaturesAreJudgedAsTheSdkJudgesThem() throws Exception {
        boolean sawPlus = false;
        boolean sawNoPlus = false;
        for (int n = 0; !(sawPlus && sawNoPlus); n++) {
            Message m = new Message("POST", "/notify/antom", "SANDBOX_5Y3A2N2YEB3002022", "1763800002000", "{\"n\":" + n + "}");
            String raw = URLDecoder.decode(SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body, PROVIDER_PRIVATE),
                    StandardCharsets.UTF_8);
            boolean plus = raw.contains("+");
            if (plus ? sawPlus : sawNoPlus) {
                continue;
            }
            String header = "algorithm=RSA256,keyVersion=1,signature=" + raw;
            String expected = plus ? "false" : "true";
            assertThat(sdkWebhookVerdict(m, header, PROVIDER_PUBLIC)).as(raw).isEqualTo(expected);
            assertThat(sdkClientVerdict(m, header, PROVIDER_PUBLIC)).as(raw).isEqualTo(expected);
            assertThat(ourVerdict(MessageKind.NOTIFICATION, m, header, true)).as(raw).isEqualTo(expected);
            sawPlus |= plus;
            sawNoPlus |= !plus;
        }
        Message m = new Message("POST", "/notify/antom", "c", "1763800002000", "{}");
        String broken = "algorithm=RSA256,keyVersion=1,signature=AB%zzCD";
        assertThat(sdkWebhookVerdict(m, broken, PROVIDER_PUBLIC)).isEqualTo("unjudged");
        assertThat(ourVerdict(MessageKind.NOTIFICATION, m, broken, true)).isEqualTo("unjudged");
    }

    /** Found by the harness: the SDK does not read {@code algorithm} (it is not signed), so it is no reason for MALFORMED. */
    @Test
    void theAlgorithmFieldIsNotReadAsTheSdkDoesNotReadIt() throws Exception {
        Message m = new Message("POST", "/notify/antom", "SANDBOX_5Y3A2N2YEB3002022", "1763800002000", "{\"notifyType\":\"PAYMENT_RESULT\"}");
        String header = "algorithm=RSA512,keyVersion=1,signature=" + SignatureTool.sign(m.method, m.path, m.clientId, m.time, m.body,
                PROVIDER_PRIVATE);
        assertThat(sdkWebhookVerdict(m, header, PROVIDER_PUBLIC)).isEqualTo("true");
        assertThat(sdkClientVerdict(m, header, PROVIDER_PUBLIC)).isEqualTo("true");
        assertThat(ourVerdict(MessageKind.NOTIFICATION, m, header, true)).isEqualTo("true");
    }

    // ---- the two sides ---------------------------------------------------------------------------------------------

    /** "true", "false", or "unjudged" (MALFORMED). */
    private String ourVerdict(MessageKind kind, Message m, String header, boolean provider) {
        SignedMessage parsed;
        try {
            parsed = antom.parse(kind, parts(kind, m, header));
        } catch (MalformedMessageException e) {
            return "unjudged";
        }
        var verifier = provider ? TestKeys.providerVerifier() : TestKeys.appVerifier();
        return Boolean.toString(verifier.verify(parsed.content(), parsed.signature()));
    }

    /** As the SDK's WebhookTool checks a notification (and a request, which has the same headers). */
    private static String sdkWebhookVerdict(Message m, String header, String publicKey) {
        try {
            return Boolean.toString(WebhookTool.checkSignature(m.path, m.method, m.clientId, m.time, header, m.body, publicKey));
        } catch (Exception e) {
            return sdkFailure(e);
        }
    }

    /** As the SDK's HTTP client checks a response: the value its DefaultHttpRPC reads from the signature header. */
    private static String sdkClientVerdict(Message m, String header, String publicKey) throws Exception {
        String value = DefaultHttpRPC.getResponseSignature(new HeaderOnly(header));
        if (value == null) {
            return "false"; // the client fails the call ("Response signature verify fail")
        }
        try {
            return Boolean.toString(SignatureTool.verify(m.method, m.path, m.clientId, m.time, m.body, value, publicKey));
        } catch (Exception e) {
            return sdkFailure(e);
        }
    }

    private static String sdkFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals(URLDecoder.class.getName())) {
                    return "unjudged";
                }
            }
        }
        return "false";
    }

    // ---- the generator -----------------------------------------------------------------------------------------------

    private record Message(String method, String path, String clientId, String time, String body) {
    }

    private static Message message(Random random, MessageKind kind) {
        String method = random.nextInt(8) == 0 ? "GET" : "POST";
        String path = PATHS[random.nextInt(PATHS.length)];
        if (random.nextInt(4) == 0) {
            path += "?" + word(random, 1 + random.nextInt(8)) + "=" + word(random, random.nextInt(12)) + (random.nextBoolean() ? "&x=%2F" : "");
        }
        String clientId = switch (random.nextInt(3)) {
            case 0 -> "SANDBOX_" + word(random, 16).toUpperCase(java.util.Locale.ROOT);
            case 1 -> "2188" + (1_000_000_000L + random.nextInt(Integer.MAX_VALUE));
            default -> word(random, 6 + random.nextInt(20));
        };
        long millis = 1_700_000_000_000L + (long) (random.nextDouble() * 100_000_000_000L);
        String time = kind == MessageKind.RESPONSE && random.nextBoolean()
                ? java.time.Instant.ofEpochMilli(millis).atOffset(java.time.ZoneOffset.ofHours(8)).toString()
                : Long.toString(millis);
        String body = switch (random.nextInt(100)) {
            case 0 -> json(random, 0, 300_000 + random.nextInt(1_800_000)); // large: up to ~2 MiB
            case 1, 2 -> "";
            default -> json(random, 0, 20 + random.nextInt(2000));
        };
        return new Message(method, path, clientId, time, body);
    }

    /** A JSON object of about {@code size} characters: nested objects, arrays, unicode, escapes. */
    private static String json(Random random, int depth, int size) {
        StringBuilder s = new StringBuilder("{");
        while (s.length() < size) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(word(random, 1 + random.nextInt(12))).append("\":");
            int pick = random.nextInt(10);
            if (pick == 0 && depth < 4) {
                s.append(json(random, depth + 1, Math.min(size - s.length(), 40 + random.nextInt(400))));
            } else if (pick == 1) {
                s.append('[').append(random.nextInt(1000)).append(",true,null,\"").append(text(random, 8)).append("\"]");
            } else if (pick == 2) {
                s.append(random.nextInt()).append('.').append(random.nextInt(100));
            } else {
                s.append('"').append(text(random, 1 + random.nextInt(size > 10_000 ? 2000 : 40))).append('"');
            }
        }
        return s.append('}').toString();
    }

    private static String text(Random random, int tokens) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            s.append(TEXT[random.nextInt(TEXT.length)]);
        }
        return s.toString();
    }

    private static String word(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
        }
        return s.toString();
    }

    /** The same message with one part changed. */
    private static Message tampered(Message m, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> new Message(m.method, m.path, m.clientId, m.time, m.body + " ");
            case 1 -> new Message(m.method, m.path, m.clientId, m.time, m.body.isEmpty() ? "{}" : flipOneChar(m.body, random));
            case 2 -> new Message(m.method, m.path + "/", m.clientId, m.time, m.body);
            case 3 -> new Message(m.method, m.path, m.clientId + "X", m.time, m.body);
            default -> new Message(m.method.equals("POST") ? "GET" : "POST", m.path, m.clientId, m.time, m.body);
        };
    }

    private static String flipOneChar(String text, Random random) {
        int at = random.nextInt(text.length());
        char c = text.charAt(at);
        char replacement = c == 'A' ? 'B' : 'A';
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }

    private static MessageParts parts(MessageKind kind, Message m, String header) {
        return MessageParts.builder().method(m.method).path(m.path).body(m.body).header("client-id", m.clientId)
                .header(kind == MessageKind.RESPONSE ? "response-time" : "request-time", m.time).header("signature", header).build();
    }

    private static String describe(int i, Message m, String more) {
        String body = m.body.length() > 300 ? m.body.substring(0, 300) + "…(" + m.body.length() + " chars)" : m.body;
        return "-Dconformance.seed=" + SEED + " case=" + i + " " + m.method + " " + m.path + " clientId=" + m.clientId + " time=" + m.time + " body="
                + body + " " + more;
    }

    private static void check(String context, Object ours, Object sdks, String what) {
        boolean same = ours instanceof byte[] a && sdks instanceof byte[] b ? java.util.Arrays.equals(a, b)
                : ours instanceof String a && sdks instanceof String b ? a.equals(b) : ours.equals(sdks);
        if (!same) {
            fail("Keyfleet and the Antom SDK disagree on the " + what + ": " + shortened(ours) + " vs " + shortened(sdks) + "\n" + context);
        }
    }

    private static String shortened(Object value) {
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** Just enough of an HTTPS connection for the SDK's {@link DefaultHttpRPC#getResponseSignature} to read a header. */
    private static final class HeaderOnly extends HttpsURLConnection {
        private final String signature;

        HeaderOnly(String signature) throws java.net.MalformedURLException {
            super(new URL("https://open-sea-global.alipay.com/"));
            this.signature = signature;
        }

        @Override
        public String getHeaderField(String name) {
            return "signature".equalsIgnoreCase(name) ? signature : null;
        }

        @Override
        public String getCipherSuite() {
            return null;
        }

        @Override
        public Certificate[] getLocalCertificates() {
            return null;
        }

        @Override
        public Certificate[] getServerCertificates() {
            return null;
        }

        @Override
        public void disconnect() {
        }

        @Override
        public boolean usingProxy() {
            return false;
        }

        @Override
        public void connect() {
        }
    }
}
