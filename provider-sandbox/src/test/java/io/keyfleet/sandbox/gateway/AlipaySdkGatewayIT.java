package io.keyfleet.sandbox.gateway;

import static io.keyfleet.sandbox.gateway.SandboxTesting.clockOffset;
import static io.keyfleet.sandbox.gateway.SandboxTesting.consent;
import static io.keyfleet.sandbox.gateway.SandboxTesting.platformPublicKey;
import static io.keyfleet.sandbox.gateway.SandboxTesting.registerApp;
import static io.keyfleet.sandbox.gateway.SandboxTesting.scenario;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.domain.AlipayOpenAuthTokenAppModel;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayOpenAuthTokenAppRequest;
import com.alipay.api.response.AlipayOpenAuthTokenAppResponse;
import io.keyfleet.sandbox.gateway.SandboxTesting.TestApp;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official Alipay Java SDK (DefaultAlipayClient, AlipayOpenAuthTokenAppRequest, RSA2) against the sandbox gateway:
 * it signs the requests with the app's private key and verifies every signed response with the sandbox's platform key.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "provider_sandbox"))
class AlipaySdkGatewayIT {

    @TestHTTPResource("/gateway.do")
    URL gateway;

    @AfterEach
    void calmDown() {
        given().delete("/sandbox/admin/scenarios").then().statusCode(200);
        given().delete("/sandbox/admin/clock").then().statusCode(200);
    }

    @Test
    void theSdkExchangesACodeAndRefreshesAndVerifiesTheSignedResponses() throws Exception {
        TestApp app = registerApp(3600L, 7200L, null);
        AlipayClient client = client(app, 15_000);
        String code = consent(app.appId(), "2088102150527498");

        AlipayOpenAuthTokenAppResponse exchanged = client.execute(exchange(code));

        assertThat(exchanged.isSuccess()).isTrue();
        assertThat(exchanged.getCode()).isEqualTo("10000");
        assertThat(exchanged.getMsg()).isEqualTo("Success");
        assertThat(exchanged.getUserId()).isEqualTo("2088102150527498");
        assertThat(exchanged.getAuthAppId()).matches("2021\\d{12}");
        assertThat(exchanged.getAppAuthToken()).hasSize(40).contains("BB");
        assertThat(exchanged.getAppRefreshToken()).hasSize(40).isNotEqualTo(exchanged.getAppAuthToken());
        assertThat(exchanged.getExpiresIn()).isEqualTo("3600");
        assertThat(exchanged.getReExpiresIn()).isEqualTo("7200");
        assertThat(exchanged.getTokens()).singleElement()
                .satisfies(t -> assertThat(t.getAppAuthToken()).isEqualTo(exchanged.getAppAuthToken()));
        // what the SDK checked, checked once more by hand: the sign covers exactly the inner response object
        String body = exchanged.getBody();
        String inner = body.substring(body.indexOf(':') + 1, body.lastIndexOf(",\"sign\""));
        String sign = JsonPath.from(body).getString("sign");
        assertThat(AlipaySignature.rsaCheck(inner, sign, platformPublicKey(), "UTF-8", "RSA2")).isTrue();

        AlipayOpenAuthTokenAppResponse refreshed = client.execute(refresh(exchanged.getAppRefreshToken()));

        assertThat(refreshed.isSuccess()).isTrue();
        assertThat(refreshed.getAppAuthToken()).isNotEqualTo(exchanged.getAppAuthToken());
        assertThat(refreshed.getAppRefreshToken()).isNotEqualTo(exchanged.getAppRefreshToken());
        assertThat(refreshed.getUserId()).isEqualTo("2088102150527498");

        JsonPath grant = grantOf(app);
        assertThat(grant.getLong("[0].refreshes")).isEqualTo(1);
        assertThat(grant.getInt("[0].currentGeneration")).isEqualTo(1);
    }

    @Test
    void aCodeIsGoodForOneExchangeOnly() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        String code = consent(app.appId(), null);
        assertThat(client.execute(exchange(code)).isSuccess()).isTrue();

        AlipayOpenAuthTokenAppResponse again = client.execute(exchange(code));

        assertThat(again.isSuccess()).isFalse();
        assertThat(again.getCode()).isEqualTo("40002");
        assertThat(again.getMsg()).isEqualTo("Invalid Arguments");
        assertThat(again.getSubCode()).isEqualTo("isv.code-invalid");
        assertThat(again.getAppAuthToken()).isNull();
        assertThat(client.execute(exchange("0123456789abcdef0123456789abcdef")).getSubCode()).isEqualTo("isv.code-invalid");
    }

    @Test
    void aCodeExpiresTwentyFourHoursAfterIssue() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        String lateCode = consent(app.appId(), null);
        String timelyCode = consent(app.appId(), null);

        clockOffset(24 * 3600 - 60);
        assertThat(client.execute(exchange(timelyCode)).isSuccess()).isTrue();
        clockOffset(24 * 3600 + 1);
        AlipayOpenAuthTokenAppResponse late = client.execute(exchange(lateCode));

        assertThat(late.isSuccess()).isFalse();
        assertThat(late.getSubCode()).isEqualTo("isv.code-invalid");
        assertThat(late.getSubMsg()).contains("过期");
    }

    @Test
    void twoConcurrentExchangesOfOneCodeMakeExactlyOneGrant() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        String code = consent(app.appId(), null);

        List<AlipayOpenAuthTokenAppResponse> answers = concurrently(8, () -> client.execute(exchange(code)));

        assertThat(answers).filteredOn(AlipayOpenAuthTokenAppResponse::isSuccess).hasSize(1);
        assertThat(answers).filteredOn(a -> "isv.code-invalid".equals(a.getSubCode())).hasSize(7);
        assertThat(grantOf(app).getList("")).hasSize(1);
    }

    @Test
    void aRequestSignedWithAnotherKeyIsRefused() throws Exception {
        TestApp app = registerApp(null, null, null);
        TestApp impostor = new TestApp(app.appId(), SandboxTesting.rsa());
        String code = consent(app.appId(), null);

        AlipayOpenAuthTokenAppResponse refused = client(impostor, 15_000).execute(exchange(code));

        assertThat(refused.getCode()).isEqualTo("40002");
        assertThat(refused.getSubCode()).isEqualTo("isv.invalid-signature");
        // the code was not spent by the refused call
        assertThat(client(app, 15_000).execute(exchange(code)).isSuccess()).isTrue();
    }

    @Test
    void anUnknownAppIsRefused() throws Exception {
        TestApp stranger = new TestApp("2021999999999999", SandboxTesting.rsa());

        AlipayOpenAuthTokenAppResponse refused = client(stranger, 15_000).execute(refresh("201509BBdcba1e3347de4e75ba3fed2c9abebE36"));

        assertThat(refused.getSubCode()).isEqualTo("isv.invalid-app-id");
    }

    @Test
    void theOldRefreshTokenWorksWithinItsGraceThenNotAndAnExpiredOneTimesOut() throws Exception {
        TestApp app = registerApp(60L, 600L, 30L);
        AlipayClient client = client(app, 15_000);
        AlipayOpenAuthTokenAppResponse first = client.execute(exchange(consent(app.appId(), null)));

        AlipayOpenAuthTokenAppResponse second = client.execute(refresh(first.getAppRefreshToken()));
        AlipayOpenAuthTokenAppResponse retry = client.execute(refresh(first.getAppRefreshToken()));

        assertThat(second.isSuccess()).isTrue();
        assertThat(retry.isSuccess()).isTrue();
        assertThat(retry.getAppAuthToken()).isNotEqualTo(second.getAppAuthToken());
        JsonPath grant = grantOf(app);
        assertThat(grant.getLong("[0].refreshes")).isEqualTo(2);
        assertThat(grant.getInt("[0].refreshesByGeneration.'0'")).isEqualTo(2);
        assertThat(given().queryParam("appId", app.appId()).get("/sandbox/admin/stats/refreshes").then().statusCode(200)
                .extract().jsonPath().getInt("maxRefreshesOfOneToken")).isEqualTo(2);

        clockOffset(31);
        AlipayOpenAuthTokenAppResponse spent = client.execute(refresh(first.getAppRefreshToken()));
        assertThat(spent.getSubCode()).isEqualTo("isv.refresh-token-invalid");
        assertThat(client.execute(refresh(second.getAppRefreshToken())).isSuccess()).isTrue();

        clockOffset(601);
        AlipayOpenAuthTokenAppResponse expired = client.execute(refresh(retry.getAppRefreshToken()));
        assertThat(expired.getCode()).isEqualTo("40002");
        assertThat(expired.getSubCode()).isEqualTo("isv.refresh-token-time-out");
    }

    @Test
    void twoConcurrentRefreshesOfOneTokenBothSucceedWithinTheGraceAndBothAreCounted() throws Exception {
        TestApp app = registerApp(60L, 600L, null);
        AlipayClient client = client(app, 15_000);
        AlipayOpenAuthTokenAppResponse first = client.execute(exchange(consent(app.appId(), null)));

        List<AlipayOpenAuthTokenAppResponse> answers = concurrently(2, () -> client.execute(refresh(first.getAppRefreshToken())));

        assertThat(answers).allMatch(AlipayOpenAuthTokenAppResponse::isSuccess);
        assertThat(answers.get(0).getAppRefreshToken()).isNotEqualTo(answers.get(1).getAppRefreshToken());
        JsonPath grant = grantOf(app);
        assertThat(grant.getLong("[0].refreshes")).isEqualTo(2);
        assertThat(grant.getInt("[0].refreshesByGeneration.'0'")).isEqualTo(2);
    }

    @Test
    void aRefreshOfATokenOfAnotherAppIsRefused() throws Exception {
        TestApp owner = registerApp(null, null, null);
        TestApp other = registerApp(null, null, null);
        AlipayOpenAuthTokenAppResponse issued = client(owner, 15_000).execute(exchange(consent(owner.appId(), null)));

        AlipayOpenAuthTokenAppResponse refused = client(other, 15_000).execute(refresh(issued.getAppRefreshToken()));

        assertThat(refused.getSubCode()).isEqualTo("isv.unmatched-app-id");
    }

    @Test
    void serverErrorsAreScopedToTheAppAndCounted() throws Exception {
        TestApp troubled = registerApp(null, null, null);
        TestApp fine = registerApp(null, null, null);
        scenario("SERVER_ERROR", troubled.appId(), 2, null, null, 503);

        assertThatThrownBy(() -> client(troubled, 15_000).execute(exchange(consent(troubled.appId(), null))))
                .isInstanceOf(AlipayApiException.class);
        assertThat(client(fine, 15_000).execute(exchange(consent(fine.appId(), null))).isSuccess()).isTrue();
        assertThatThrownBy(() -> client(troubled, 15_000).execute(exchange(consent(troubled.appId(), null))))
                .isInstanceOf(AlipayApiException.class);
        assertThat(client(troubled, 15_000).execute(exchange(consent(troubled.appId(), null))).isSuccess()).isTrue();
        assertThat(given().get("/sandbox/admin/scenarios").then().statusCode(200).extract().jsonPath().getInt("[0].applied")).isEqualTo(2);
    }

    @Test
    void serviceUnavailableAndRateLimitAnswerInTheGatewaysOwnCodes() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        String code = consent(app.appId(), null);
        scenario("SERVICE_UNAVAILABLE", app.appId(), 1, null, null, null);

        AlipayOpenAuthTokenAppResponse unavailable = client.execute(exchange(code));
        assertThat(unavailable.getCode()).isEqualTo("20000");
        assertThat(unavailable.getMsg()).isEqualTo("Service Currently Unavailable");
        assertThat(unavailable.getSubCode()).isEqualTo("isp.unknow-error");

        scenario("RATE_LIMITED", null, null, 60L, null, null);
        AlipayOpenAuthTokenAppResponse limited = client.execute(exchange(code));
        assertThat(limited.getCode()).isEqualTo("40005");
        assertThat(limited.getMsg()).isEqualTo("Call Limited");
        assertThat(limited.getSubCode()).isEqualTo("isv.app-call-limited");

        clockOffset(61);
        assertThat(client.execute(exchange(code)).isSuccess()).as("neither scenario spent the code").isTrue();
    }

    @Test
    void theSdkRejectsUnsignedBadlySignedAndMalformedResponses() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        for (String kind : List.of("UNSIGNED", "BAD_SIGNATURE", "MALFORMED")) {
            scenario(kind, app.appId(), 1, null, null, null);
            String code = consent(app.appId(), null);
            // the SDK refuses each by throwing: AlipayApiException for a wrong sign, a RuntimeException around one for a
            // missing sign, its JSON reader's IllegalArgumentException for a truncated body
            assertThatThrownBy(() -> client.execute(exchange(code))).as(kind).isInstanceOf(Exception.class);
            // processed scenarios carry the call out: the code is spent though the answer was unusable
            assertThat(client.execute(exchange(code)).getSubCode()).as(kind).isEqualTo("isv.code-invalid");
        }
    }

    @Test
    void aTimedOutRefreshWasCarriedOutAndTheGraceLetsTheRetrySucceed() throws Exception {
        TestApp app = registerApp(60L, 600L, null);
        AlipayOpenAuthTokenAppResponse first = client(app, 15_000).execute(exchange(consent(app.appId(), null)));
        scenario("TIMEOUT", app.appId(), 1, null, 5_000L, null);

        assertThatThrownBy(() -> client(app, 1_000).execute(refresh(first.getAppRefreshToken())))
                .isInstanceOf(AlipayApiException.class).hasStackTraceContaining("timed out");
        AlipayOpenAuthTokenAppResponse retried = client(app, 15_000).execute(refresh(first.getAppRefreshToken()));

        assertThat(retried.isSuccess()).isTrue();
        assertThat(grantOf(app).getInt("[0].refreshesByGeneration.'0'")).isEqualTo(2);
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        TestApp app = registerApp(null, null, null);
        scenario("LATENCY", null, 1, null, 700L, null);
        long started = System.nanoTime();

        AlipayOpenAuthTokenAppResponse answer = client(app, 15_000).execute(exchange(consent(app.appId(), null)));

        assertThat(answer.isSuccess()).isTrue();
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(700);
    }

    @Test
    void anExpiredRefreshTokenScenarioAffectsRefreshesOnly() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        scenario("REFRESH_TOKEN_EXPIRED", app.appId(), 1, null, null, null);

        AlipayOpenAuthTokenAppResponse issued = client.execute(exchange(consent(app.appId(), null)));
        assertThat(issued.isSuccess()).isTrue();
        assertThat(client.execute(refresh(issued.getAppRefreshToken())).getSubCode()).isEqualTo("isv.refresh-token-time-out");
        assertThat(client.execute(refresh(issued.getAppRefreshToken())).isSuccess()).isTrue();
    }

    @Test
    void callsAreCountedByOutcome() throws Exception {
        TestApp app = registerApp(null, null, null);
        AlipayClient client = client(app, 15_000);
        String code = consent(app.appId(), null);
        client.execute(exchange(code));
        client.execute(exchange(code));

        JsonPath calls = given().queryParam("appId", app.appId()).get("/sandbox/admin/stats/calls").then().statusCode(200)
                .extract().jsonPath();
        assertThat(calls.getLong("find { it.outcome == 'SUCCESS' }.calls")).isEqualTo(1);
        assertThat(calls.getLong("find { it.outcome == 'isv.code-invalid' }.calls")).isEqualTo(1);
    }

    private AlipayClient client(TestApp app, int readTimeoutMillis) throws AlipayApiException {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(gateway.toString());
        config.setAppId(app.appId());
        config.setPrivateKey(app.privateKeyBase64());
        config.setAlipayPublicKey(platformPublicKey());
        config.setFormat("json");
        config.setCharset("UTF-8");
        config.setSignType("RSA2");
        config.setReadTimeout(readTimeoutMillis);
        return new DefaultAlipayClient(config);
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

    private static JsonPath grantOf(TestApp app) {
        return given().queryParam("appId", app.appId()).get("/sandbox/admin/stats/grants").then().statusCode(200).extract().jsonPath();
    }

    private static <T> List<T> concurrently(int threads, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
