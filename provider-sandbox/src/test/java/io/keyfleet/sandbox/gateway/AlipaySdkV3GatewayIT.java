package io.keyfleet.sandbox.gateway;

import static io.keyfleet.sandbox.gateway.SandboxTesting.consent;
import static io.keyfleet.sandbox.gateway.SandboxTesting.platformPublicKey;
import static io.keyfleet.sandbox.gateway.SandboxTesting.registerApp;
import static io.keyfleet.sandbox.gateway.SandboxTesting.scenario;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.alipay.v3.ApiClient;
import com.alipay.v3.ApiException;
import com.alipay.v3.api.AlipayOpenAuthTokenApi;
import com.alipay.v3.model.AlipayOpenAuthTokenAppModel;
import com.alipay.v3.model.AlipayOpenAuthTokenAppResponseModel;
import com.alipay.v3.util.model.AlipayConfig;
import io.keyfleet.sandbox.gateway.SandboxTesting.TestApp;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official v3 SDK (com.alipay.sdk:alipay-sdk-java-v3 3.1.15.ALL, AlipayOpenAuthTokenApi) against
 * POST /v3/alipay/open/auth/token/app: it signs the Authorization header and verifies alipay-signature.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "provider_sandbox"))
class AlipaySdkV3GatewayIT {

    @TestHTTPResource("/")
    URL root;

    @AfterEach
    void calmDown() {
        given().delete("/sandbox/admin/scenarios").then().statusCode(200);
    }

    @Test
    void theV3SdkExchangesACodeAndRefreshesWithVerifiedResponses() throws Exception {
        TestApp app = registerApp(3600L, 7200L, null);
        AlipayOpenAuthTokenApi api = api(app);
        AlipayOpenAuthTokenAppResponseModel exchanged = api.app(model("authorization_code", consent(app.appId(), "2088102150527498"), null));

        assertThat(exchanged.getUserId()).isEqualTo("2088102150527498");
        assertThat(exchanged.getAppAuthToken()).hasSize(40);
        assertThat(exchanged.getExpiresIn()).isEqualTo("3600");
        assertThat(exchanged.getReExpiresIn()).isEqualTo("7200");
        assertThat(exchanged.getTokens()).hasSize(1);

        AlipayOpenAuthTokenAppResponseModel refreshed = api.app(model("refresh_token", null, exchanged.getAppRefreshToken()));

        assertThat(refreshed.getAppAuthToken()).isNotEqualTo(exchanged.getAppAuthToken());
        assertThat(refreshed.getAppRefreshToken()).isNotEqualTo(exchanged.getAppRefreshToken());
    }

    @Test
    void aUsedCodeIsABusinessErrorWithHttp400() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayOpenAuthTokenApi api = api(app);
        String code = consent(app.appId(), null);
        api.app(model("authorization_code", code, null));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> api.app(model("authorization_code", code, null)));

        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getResponseBody()).contains("\"code\":\"AUTH_CODE_NOT_VALID\"");
    }

    @Test
    void aWrongKeyIsRefusedWith401() {
        TestApp app = registerApp(null, null, null);
        TestApp impostor = new TestApp(app.appId(), SandboxTesting.rsa());

        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> api(impostor).app(model("authorization_code", consent(app.appId(), null), null)));

        assertThat(refused.getCode()).isEqualTo(401);
        assertThat(refused.getResponseBody()).contains("invalid-signature");
    }

    @Test
    void rateLimitIsHttp429AndAnUnsignedSuccessIsRejectedByTheSdk() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayOpenAuthTokenApi api = api(app);
        String code = consent(app.appId(), null);
        scenario("RATE_LIMITED", app.appId(), 1, null, null, null);

        ApiException limited = catchThrowableOfType(ApiException.class, () -> api.app(model("authorization_code", code, null)));
        assertThat(limited.getCode()).isEqualTo(429);
        assertThat(limited.getResponseBody()).contains("app-call-limited");

        scenario("UNSIGNED", app.appId(), 1, null, null, null);
        ApiException unsigned = catchThrowableOfType(ApiException.class, () -> api.app(model("authorization_code", code, null)));
        assertThat(unsigned).isNotNull();

        scenario("BAD_SIGNATURE", app.appId(), 1, null, null, null);
        String another = consent(app.appId(), null);
        ApiException badlySigned = catchThrowableOfType(ApiException.class, () -> api.app(model("authorization_code", another, null)));
        assertThat(badlySigned.getMessage()).contains("sign check fail");
    }

    private AlipayOpenAuthTokenApi api(TestApp app) throws ApiException {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(root.toString().replaceAll("/$", ""));
        config.setAppId(app.appId());
        config.setPrivateKey(app.privateKeyBase64());
        config.setAlipayPublicKey(platformPublicKey());
        ApiClient client = new ApiClient();
        client.setAlipayConfig(config);
        return new AlipayOpenAuthTokenApi(client);
    }

    private static AlipayOpenAuthTokenAppModel model(String grantType, String code, String refreshToken) {
        AlipayOpenAuthTokenAppModel model = new AlipayOpenAuthTokenAppModel();
        model.setGrantType(grantType);
        model.setCode(code);
        model.setRefreshToken(refreshToken);
        return model;
    }
}
