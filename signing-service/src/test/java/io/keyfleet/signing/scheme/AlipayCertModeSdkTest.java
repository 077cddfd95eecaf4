package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.CertAlipayRequest;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.FileItem;
import com.alipay.api.internal.util.AbstractHttpClient;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.internal.util.AntCertificationUtil;
import com.alipay.api.request.AlipayOpenAuthTokenAppRequest;
import com.alipay.api.response.AlipayOpenAuthTokenAppResponse;
import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.signing.crypto.RsaSigner;
import io.keyfleet.signing.crypto.RsaVerifier;
import io.keyfleet.testkit.TestCa;
import io.keyfleet.testkit.TestCa.Authority;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Alipay public-key certificate mode against alipay-sdk-java 4.40.734 itself: the SNs Keyfleet computes are the SDK's
 * ({@code AntCertificationUtil.getCertSN}, {@code getRootCertSN}) on seeded random certificates and root bundles
 * (several roots, RSA with SHA-1 and SHA-256, EC roots the SDK leaves out); the SDK's certificate client
 * ({@code DefaultAlipayClient(CertAlipayRequest)}) sends requests whose SNs and signature Keyfleet makes byte for byte,
 * and which Keyfleet verifies; what Keyfleet signs the SDK's {@code rsaCertCheckV2} accepts; the answers that client
 * accepts Keyfleet accepts, by the certificate their {@code alipay_cert_sn} names, and what it refuses Keyfleet refuses.
 */
class AlipayCertModeSdkTest {

    private static final long SEED = Long.getLong("conformance.seed", System.nanoTime());
    private final AlipayRsa2CertScheme scheme = new AlipayRsa2CertScheme();

    @Test
    void certificateSnsAreTheSdks_onRandomNamesAndSerials() throws Exception {
        Random random = new Random(SEED);
        KeyPair rsa = TestCa.rsa();
        KeyPair ec = TestCa.ec();
        boolean unicode = Charset.defaultCharset().equals(StandardCharsets.UTF_8); // the SDK takes the default charset's bytes
        int paddedSeen = 0;
        for (int i = 0; i < 300; i++) {
            BigInteger serial = new BigInteger(1 + random.nextInt(159), random).add(BigInteger.ONE);
            boolean useEc = random.nextInt(4) == 0;
            X509Certificate certificate = TestCa.certificate(dn(random, unicode), useEc ? ec : rsa,
                    useEc ? "SHA256withECDSA" : random.nextBoolean() ? "SHA256withRSA" : "SHA1withRSA", dn(random, unicode), rsa.getPublic(),
                    serial, random.nextBoolean());
            String ours = AlipayCertificates.certSn(certificate);
            assertThat(ours).as("seed %d case %d", SEED, i).isEqualTo(AntCertificationUtil.getCertSN(certificate))
                    .isEqualTo(AlipaySignature.getCertSN(certFile(certificate).toString()));
            if (ours.startsWith("0")) {
                paddedSeen++;
            }
        }
        assertThat(paddedSeen).as("some MD5s start with 0 and are padded to 32 characters").isPositive();
    }

    @Test
    void rootSnsAreTheSdks_forBundlesOfSeveralRootsOfMixedAlgorithms() throws Exception {
        Random random = new Random(SEED);
        KeyPair rsa = TestCa.rsa();
        KeyPair ec = TestCa.ec();
        List<String> algorithms = List.of("SHA256withRSA", "SHA1withRSA", "SHA256withECDSA", "SHA384withRSA");
        for (int i = 0; i < 100; i++) {
            List<X509Certificate> bundle = new ArrayList<>();
            int size = 1 + random.nextInt(5);
            for (int j = 0; j < size; j++) {
                String algorithm = algorithms.get(random.nextInt(algorithms.size()));
                String name = "CN=Root " + i + "-" + j + ",O=Ant Financial Test,C=CN";
                bundle.add(TestCa.certificate(name, algorithm.endsWith("ECDSA") ? ec : rsa, algorithm, name,
                        algorithm.endsWith("ECDSA") ? ec.getPublic() : rsa.getPublic(), new BigInteger(64, random).add(BigInteger.ONE), true));
            }
            String pem = TestCa.pem(bundle.toArray(X509Certificate[]::new));
            String sdk = AntCertificationUtil.getRootCertSN(pem);
            assertThat(AlipayCertificates.rootCertSn(AlipayCertificates.parsePem(pem, "root")))
                    .as("seed %d case %d: %s", SEED, i, bundle.stream().map(X509Certificate::getSigAlgName).toList())
                    .isEqualTo(sdk == null ? "" : sdk);
        }
    }

    @Test
    void theSdksCertificateClient_andKeyfleet_signAndVerifyTheSameMessages() throws Exception {
        World w = new World();
        CertAlipayRequest config = new CertAlipayRequest();
        config.setServerUrl("http://sandbox.test/gateway.do");
        config.setAppId("2021000000000301");
        config.setPrivateKey(Base64.getEncoder().encodeToString(w.app.getPrivate().getEncoded()));
        config.setFormat("json");
        config.setCharset("UTF-8");
        config.setSignType("RSA2");
        config.setCertContent(TestCa.pem(w.appCert, w.ca.certificate()));
        config.setAlipayPublicCertContent(TestCa.pem(w.alipayCert, w.ca.certificate()));
        config.setRootCertContent(w.rootBundle);
        DefaultAlipayClient client = new DefaultAlipayClient(config);

        String appCertSn = AlipayCertificates.certSn(w.appCert);
        String rootCertSn = AlipayCertificates.rootCertSn(AlipayCertificates.parsePem(w.rootBundle, "root"));
        String alipayCertSn = AlipayCertificates.certSn(w.alipayCert);
        List<Map<String, String>> sent = new ArrayList<>();
        Function<String, String> answer = inner -> "{\"alipay_open_auth_token_app_response\":" + inner + ",\"alipay_cert_sn\":\""
                + alipayCertSn + "\",\"sign\":\"" + sign(w.alipay, inner) + "\"}";
        String inner = "{\"code\":\"10000\",\"msg\":\"Success\",\"app_auth_token\":\"202611BBa6f1\",\"user_id\":\"2088102150527498\","
                + "\"auth_app_id\":\"2021000000000301\",\"expires_in\":31536000,\"re_expires_in\":32140800,\"app_refresh_token\":\"202611BB2c\"}";
        List<String> answers = new ArrayList<>(List.of(answer.apply(inner)));
        client.setCustomizedHttpClient(new Capture(sent, answers));

        AlipayOpenAuthTokenAppRequest request = new AlipayOpenAuthTokenAppRequest();
        request.setBizContent("{\"grant_type\":\"authorization_code\",\"code\":\"P-1\"}");
        AlipayOpenAuthTokenAppResponse response = client.certificateExecute(request);
        assertThat(response.isSuccess()).isTrue();

        // the request the SDK sent: its SNs are Keyfleet's, and Keyfleet signs it byte for byte as the SDK did
        Map<String, String> params = sent.get(0);
        assertThat(params).containsEntry("app_cert_sn", appCertSn).containsEntry("alipay_root_cert_sn", rootCertSn);
        Map<String, String> unsigned = new LinkedHashMap<>(params);
        unsigned.remove("sign");
        unsigned.remove("app_cert_sn");
        unsigned.remove("alipay_root_cert_sn");
        MessageParts parts = AlipayRsa2CertScheme.withCertSns(MessageParts.builder().params(unsigned).build(), appCertSn, rootCertSn);
        Attachments attachments = scheme.sign(parts, new RsaSigner(1, w.app.getPrivate(), Optional.empty()));
        assertThat(attachments.params()).containsEntry("sign", params.get("sign")).containsEntry("app_cert_sn", appCertSn)
                .containsEntry("alipay_root_cert_sn", rootCertSn);
        SignedMessage asRequest = scheme.parse(MessageKind.REQUEST, MessageParts.builder().params(params).build());
        RsaVerifier appVerifier = new RsaVerifier(w.appCert.getPublicKey(), Optional.empty());
        assertThat(appVerifier.verify(asRequest.content(), asRequest.signature())).isTrue();

        // what Keyfleet signs, the SDK's certificate check accepts (with the app certificate); the SNs are signed content
        Map<String, String> ours = new LinkedHashMap<>(parts.params());
        ours.putAll(attachments.params());
        Path appCertFile = certFile(w.appCert);
        assertThat(AlipaySignature.rsaCertCheckV2(new LinkedHashMap<>(ours), appCertFile.toString(), "UTF-8", "RSA2")).isTrue(); // it removes sign
        ours.put("app_cert_sn", "0" + appCertSn.substring(1).replace('0', '1'));
        assertThat(AlipaySignature.rsaCertCheckV2(new LinkedHashMap<>(ours), appCertFile.toString(), "UTF-8", "RSA2")).isFalse();

        // the answer the SDK accepted: Keyfleet reads the SN it names and verifies it with that certificate
        SignedMessage accepted = scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(answer.apply(inner)).build());
        assertThat(accepted.certSn()).isEqualTo(alipayCertSn);
        RsaVerifier alipayVerifier = new RsaVerifier(w.alipayCert.getPublicKey(), Optional.empty());
        assertThat(alipayVerifier.verify(accepted.content(), accepted.signature())).isTrue();

        // a changed answer: the SDK refuses it, so does Keyfleet
        String changed = answer.apply(inner).replace("2088102150527498", "2088102150527499");
        answers.add(changed);
        assertThatThrownBy(() -> client.certificateExecute(request)).isInstanceOf(AlipayApiException.class);
        SignedMessage refused = scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(changed).build());
        assertThat(alipayVerifier.verify(refused.content(), refused.signature())).isFalse();

        // an answer naming a certificate the client does not hold: the SDK asks Alipay for it (refused here) and fails
        String unknownSn = answer.apply(inner).replace(alipayCertSn, "ffffffffffffffffffffffffffffffff");
        answers.add(unknownSn);
        answers.add("{\"alipay_open_app_alipaycert_download_response\":{\"code\":\"40004\",\"msg\":\"Business Failed\","
                + "\"sub_code\":\"CERT_NOT_EXIST\"}}");
        assertThatThrownBy(() -> client.certificateExecute(request)).isInstanceOf(AlipayApiException.class);
        assertThat(sent.get(sent.size() - 1)).containsEntry("method", "alipay.open.app.alipaycert.download");
        assertThat(scheme.parse(MessageKind.RESPONSE, MessageParts.builder().body(unknownSn).build()).certSn())
                .isEqualTo("ffffffffffffffffffffffffffffffff");
    }

    @Test
    void signingNeedsBothSns() {
        Map<String, String> params = Map.of("app_id", "2021000000000301", "method", "alipay.trade.query");
        RsaSigner signer = new RsaSigner(1, TestCa.rsa().getPrivate(), Optional.empty());
        assertThatThrownBy(() -> scheme.sign(MessageParts.builder().params(params).build(), signer))
                .isInstanceOf(MalformedMessageException.class);
    }

    /** A CA hierarchy as Alipay's: bundle of roots (one RSA, one EC), an intermediate, Alipay's and the app's certificates. */
    static final class World {
        final Authority root = TestCa.root("CN=Keyfleet Test Root Class 2,OU=Certification Authority,O=Ant Financial Test,C=CN", "SHA256withRSA");
        final Authority ecRoot = TestCa.root("CN=Keyfleet Test Root EC,O=Ant Financial Test,C=CN", "SHA256withECDSA");
        final Authority ca = TestCa.intermediate(root, "CN=Keyfleet Test CA Class 2 R1,OU=Certification Authority,O=Ant Financial Test,C=CN");
        final KeyPair alipay = TestCa.rsa();
        final KeyPair app = TestCa.rsa();
        final X509Certificate alipayCert = TestCa.leaf(ca, "CN=Alipay Sandbox,OU=Alipay,O=Ant Financial Test,C=CN", alipay.getPublic());
        final X509Certificate appCert = TestCa.leaf(ca, "CN=2021000000000301,OU=Alipay,O=Merchant Test,C=CN", app.getPublic());
        final String rootBundle = TestCa.pem(root.certificate(), ecRoot.certificate());
    }

    /** The SDK's custom HTTP client: records the parameters of each request (query and form) and answers in turn. */
    static final class Capture extends AbstractHttpClient {
        private final List<Map<String, String>> sent;
        private final List<String> answers;

        Capture(List<Map<String, String>> sent, List<String> answers) {
            this.sent = sent;
            this.answers = answers;
        }

        @Override
        public String doPost(String url, Map<String, String> params, String charset, Map<String, String> headers) {
            Map<String, String> all = new LinkedHashMap<>();
            String query = URI.create(url).getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                all.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            all.putAll(params);
            sent.add(all);
            return answers.get(sent.size() - 1);
        }

        @Override
        public String doPost(String url, Map<String, String> params, Map<String, FileItem> files, String charset, Map<String, String> headers) {
            return doPost(url, params, charset, headers);
        }
    }

    static String sign(KeyPair pair, String content) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(pair.getPrivate());
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path certFile(X509Certificate certificate) throws Exception {
        Path file = Files.createTempFile("cert", ".crt");
        file.toFile().deleteOnExit();
        Files.writeString(file, TestCa.pem(certificate));
        return file;
    }

    /** A distinguished name with characters RFC 2253 escapes (not the backslash itself, which the JDK's parser takes badly) (and, where the default charset is UTF-8, non-ASCII ones). */
    private static String dn(Random random, boolean unicode) {
        String alphabet = "abcXYZ 019-_.,+=\"<>#;" + (unicode ? "éü中文支付宝" : "");
        StringBuilder cn = new StringBuilder();
        int length = 1 + random.nextInt(20);
        for (int i = 0; i < length; i++) {
            cn.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String value = cn.toString().strip();
        if (value.isEmpty()) {
            value = "x";
        }
        String escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+").replace("\"", "\\\"")
                .replace("<", "\\<").replace(">", "\\>").replace(";", "\\;").replace("=", "\\=");
        if (escaped.startsWith("#")) {
            escaped = "\\" + escaped;
        }
        return "CN=" + escaped + (random.nextBoolean() ? ",OU=Certification Authority" : "") + ",O=Ant Financial Test,C=CN";
    }
}
