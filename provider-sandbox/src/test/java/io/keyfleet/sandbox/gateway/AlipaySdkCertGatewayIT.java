package io.keyfleet.sandbox.gateway;

import static io.keyfleet.sandbox.gateway.SandboxTesting.consent;
import static io.keyfleet.sandbox.gateway.SandboxTesting.platformPublicKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayConfig;
import com.alipay.api.CertAlipayRequest;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.domain.AlipayOpenAuthTokenAppModel;
import com.alipay.api.internal.util.AntCertificationUtil;
import com.alipay.api.request.AlipayOpenAuthTokenAppRequest;
import com.alipay.api.response.AlipayOpenAuthTokenAppResponse;
import io.keyfleet.sandbox.gateway.SandboxTesting.TestApp;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Alipay public-key certificate mode: the official SDK's certificate client ({@code DefaultAlipayClient(CertAlipayRequest)},
 * configured with the three files the sandbox hands a certificate-mode app) against the gateway. It sends app_cert_sn
 * and alipay_root_cert_sn, which the gateway checks, and verifies each answer by the certificate its alipay_cert_sn names.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "provider_sandbox"))
class AlipaySdkCertGatewayIT {

    private static final AtomicLong APP_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L + 500_000_000L);

    @TestHTTPResource("/gateway.do")
    URL gateway;

    @Test
    void theSdksCertificateClientExchangesAndRefreshes_andTheSnsAreTheSdks() throws Exception {
        TestApp app = new TestApp("2021" + String.format("%012d", APP_IDS.incrementAndGet()), SandboxTesting.rsa());
        JsonPath files = register(app);
        assertThat(files.getBoolean("certificateMode")).isTrue();
        assertThat(files.getString("appCertSn")).isEqualTo(AntCertificationUtil.getCertSN(
                AntCertificationUtil.getCertFromContent(files.getString("appCertificate"))));
        assertThat(files.getString("alipayCertSn")).isEqualTo(AntCertificationUtil.getCertSN(
                AntCertificationUtil.getCertFromContent(files.getString("alipayCertificate"))));
        assertThat(files.getString("alipayRootCertSn")).isEqualTo(AntCertificationUtil.getRootCertSN(files.getString("rootCertificate")));
        given().get("/sandbox/admin/certificates").then().statusCode(200)
                .body("alipayCertSn", org.hamcrest.Matchers.equalTo(files.getString("alipayCertSn")));

        DefaultAlipayClient client = certClient(app, files.getString("appCertificate"), files);
        AlipayOpenAuthTokenAppResponse exchanged = client.certificateExecute(exchange(consent(app.appId(), "2088102150527498")));
        assertThat(exchanged.isSuccess()).as(exchanged.getBody()).isTrue();
        assertThat(exchanged.getUserId()).isEqualTo("2088102150527498");
        assertThat(JsonPath.from(exchanged.getBody()).getString("alipay_cert_sn")).isEqualTo(files.getString("alipayCertSn"));

        AlipayOpenAuthTokenAppResponse refreshed = client.certificateExecute(refresh(exchanged.getAppRefreshToken()));
        assertThat(refreshed.isSuccess()).isTrue();
        assertThat(refreshed.getAppAuthToken()).isNotEqualTo(exchanged.getAppAuthToken());
    }

    @Test
    void aRequestNamingAnotherCertificateOrNoneIsRefused_withASignedAnswer() throws Exception {
        TestApp app = new TestApp("2021" + String.format("%012d", APP_IDS.incrementAndGet()), SandboxTesting.rsa());
        JsonPath files = register(app);
        TestApp other = new TestApp("2021" + String.format("%012d", APP_IDS.incrementAndGet()), app.keys());
        JsonPath otherFiles = register(other); // same key, another certificate (another serial)

        AlipayOpenAuthTokenAppResponse wrongCert = certClient(app, otherFiles.getString("appCertificate"), files)
                .certificateExecute(exchange(consent(app.appId(), null)));
        assertThat(wrongCert.isSuccess()).isFalse();
        assertThat(wrongCert.getSubCode()).isEqualTo("isv.invalid-app-cert-sn");

        // a public-key-mode client sends no SNs: refused, and the refusal is signed by the platform key as always
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(gateway.toString());
        config.setAppId(app.appId());
        config.setPrivateKey(app.privateKeyBase64());
        config.setAlipayPublicKey(platformPublicKey());
        config.setFormat("json");
        config.setCharset("UTF-8");
        config.setSignType("RSA2");
        AlipayOpenAuthTokenAppResponse keyMode = new DefaultAlipayClient(config).execute(exchange(consent(app.appId(), null)));
        assertThat(keyMode.isSuccess()).isFalse();
        assertThat(keyMode.getSubCode()).isEqualTo("isv.missing-app-cert-sn");
    }

    private JsonPath register(TestApp app) {
        return given().contentType(ContentType.JSON).body(Map.of("publicKey", Base64.getEncoder().encodeToString(app.keys().getPublic().getEncoded()),
                "certificateMode", true)).put("/sandbox/admin/apps/" + app.appId()).then().statusCode(200).extract().jsonPath();
    }

    private DefaultAlipayClient certClient(TestApp app, String appCertificate, JsonPath files) throws Exception {
        CertAlipayRequest request = new CertAlipayRequest();
        request.setServerUrl(gateway.toString());
        request.setAppId(app.appId());
        request.setPrivateKey(app.privateKeyBase64());
        request.setFormat("json");
        request.setCharset("UTF-8");
        request.setSignType("RSA2");
        request.setCertContent(appCertificate);
        request.setAlipayPublicCertContent(files.getString("alipayCertificate"));
        request.setRootCertContent(files.getString("rootCertificate"));
        return new DefaultAlipayClient(request);
    }

    private static AlipayOpenAuthTokenAppRequest exchange(String code) {
        AlipayOpenAuthTokenAppModel model = new AlipayOpenAuthTokenAppModel();
        model.setGrantType("authorization_code");
        model.setCode(code);
        AlipayOpenAuthTokenAppRequest request = new AlipayOpenAuthTokenAppRequest();
        request.setBizModel(model);
        return request;
    }

    private static AlipayOpenAuthTokenAppRequest refresh(String refreshToken) {
        AlipayOpenAuthTokenAppModel model = new AlipayOpenAuthTokenAppModel();
        model.setGrantType("refresh_token");
        model.setRefreshToken(refreshToken);
        AlipayOpenAuthTokenAppRequest request = new AlipayOpenAuthTokenAppRequest();
        request.setBizModel(model);
        return request;
    }
}
