package io.keyfleet.tokens.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keyfleet.kit.client.ServiceCall;
import io.keyfleet.signing.api.MessageKind;
import io.keyfleet.signing.api.SignatureApi;
import io.keyfleet.signing.api.SignatureApi.KeyRef;
import io.keyfleet.signing.api.SignatureApi.Parts;
import io.keyfleet.signing.api.SignatureApi.SignRequest;
import io.keyfleet.signing.api.SignatureApi.SignResult;
import io.keyfleet.signing.api.SignatureApi.VerifyRequest;
import io.keyfleet.signing.api.SignatureApi.VerifyResult;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The v3 token call against stand-ins: a provider gateway on a local port that signs its answers as Alipay's v3 API
 * does (SHA256withRSA over {@code timestamp\nnonce\nbody\n}, with a platform key), and signing-service's API
 * ({@link SignatureApi}, in process) whose verify checks that signature with the platform's public key, so that what
 * token-service hands it is what the provider signed. The real signing-service and sandbox are met in the cli suite's
 * TokenGatewayVersionsIT; the wire format of signing-service's API is pinned by its contract test.
 */
class AlipayV3TokenGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTHORIZATION = "ALIPAY-SHA256withRSA app_id=2021000000000001,nonce=n-1,timestamp=1700000000000,sign=c2ln";
    private static final String TOKENS = "{\"app_auth_token\":\"at-secret\",\"app_refresh_token\":\"rt-secret\",\"auth_app_id\":\"2021000000000001\","
            + "\"expires_in\":\"3600\",\"re_expires_in\":\"7200\",\"user_id\":\"2088000000000001\"}";

    private enum Signing { SIGNED, UNSIGNED, TAMPERED }

    private record Answer(int status, String body, Signing signing) {
    }

    private record Received(String path, String authorization, String tenant, String body) {
    }

    private record Call<T>(String tenant, T request) {
    }

    private static final KeyPair PLATFORM = platformKey();

    private HttpServer server;
    private volatile Answer answer;
    private volatile int signStatus = 200;
    private final List<Received> atProvider = new CopyOnWriteArrayList<>();
    private final List<Call<SignRequest>> signRequests = new CopyOnWriteArrayList<>();
    private final List<Call<VerifyRequest>> verifyRequests = new CopyOnWriteArrayList<>();
    private AlipayV3TokenGateway gateway;
    private final AppRef app = new AppRef("t-acme", "alipay", "2021000000000001", "SANDBOX", GatewayVersion.V3);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(AlipayV3TokenGateway.PATH, exchange -> {
            atProvider.add(received(exchange));
            respond(exchange, answer);
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        TokensConfig config = (TokensConfig) Proxy.newProxyInstance(TokensConfig.class.getClassLoader(), new Class<?>[] {TokensConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "providerGatewayUrl" -> base;
                    case "upstreamTimeout" -> Duration.ofSeconds(5);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        UpstreamHttp http = new UpstreamHttp();
        http.config = config;
        SigningService signing = new SigningService(ServiceCall.unguarded(SigningService.SERVICE));
        signing.signatures = signingServiceStandIn();
        gateway = new AlipayV3TokenGateway();
        gateway.config = config;
        gateway.json = JSON;
        gateway.signing = signing;
        gateway.http = http;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aCodeIsExchangedWithTheRequestSigningServiceSignedAndTheAnswerItVerified() throws Exception {
        answer = new Answer(200, TOKENS, Signing.SIGNED);

        IssuedTokens tokens = gateway.exchange(app, "code-1");

        assertEquals(new IssuedTokens("2088000000000001", "2021000000000001", "at-secret", "rt-secret", 3600L, 7200L), tokens);
        Received sent = atProvider.get(0);
        assertEquals("/v3/alipay/open/auth/token/app", sent.path());
        assertEquals(AUTHORIZATION, sent.authorization());
        assertEquals(JSON.readTree("{\"grant_type\":\"authorization_code\",\"code\":\"code-1\"}"), JSON.readTree(sent.body()));

        SignRequest sign = signRequests.get(0).request();
        assertEquals("t-acme", signRequests.get(0).tenant());
        assertEquals("alipay-v3", sign.scheme());
        assertEquals(new KeyRef("alipay", "2021000000000001", "SANDBOX"), sign.key());
        assertEquals("POST", sign.request().method());
        assertEquals("/v3/alipay/open/auth/token/app", sign.request().path());
        assertEquals(sent.body(), sign.request().body(), "the body signed is the body sent");
        assertEquals("2021000000000001", sign.request().appId());

        VerifyRequest verify = verifyRequests.get(0).request();
        assertEquals("t-acme", verifyRequests.get(0).tenant());
        assertEquals("alipay-v3", verify.scheme());
        assertEquals(MessageKind.RESPONSE, verify.kind());
        assertEquals(TOKENS, verify.message().body());
    }

    @Test
    void aRefreshSendsTheRefreshToken() throws Exception {
        answer = new Answer(200, TOKENS, Signing.SIGNED);

        gateway.refresh(app, "rt-old");

        assertEquals(JSON.readTree("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"rt-old\"}"), JSON.readTree(atProvider.get(0).body()));
    }

    @Test
    void aTamperedAnswerIsRefusedAsLostAndNamesNoToken() {
        answer = new Answer(200, TOKENS, Signing.TAMPERED);

        UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> gateway.refresh(app, "rt-old"));

        assertEquals(Kind.LOST, failure.kind());
        assertEquals("BAD_RESPONSE_SIGNATURE", failure.code());
        assertFalse(failure.getMessage().contains("secret"), failure.getMessage());
    }

    @Test
    void unsignedAnswersAreRefusedSuccessesAndRefusalsAlike() {
        answer = new Answer(200, TOKENS, Signing.UNSIGNED);
        UpstreamFailure success = assertThrows(UpstreamFailure.class, () -> gateway.refresh(app, "rt-old"));
        assertEquals(Kind.LOST, success.kind());
        assertEquals("UNSIGNED_RESPONSE", success.code());

        // an unsigned "refresh token invalid" must not end a grant
        answer = new Answer(400, "{\"code\":\"REFRESH_TOKEN_NOT_VALID\",\"message\":\"x\"}", Signing.UNSIGNED);
        UpstreamFailure refusal = assertThrows(UpstreamFailure.class, () -> gateway.refresh(app, "rt-old"));
        assertEquals(Kind.LOST, refusal.kind());
        assertEquals("UNSIGNED_RESPONSE", refusal.code());
        assertTrue(verifyRequests.isEmpty(), "nothing to verify");
    }

    @Test
    void signedErrorBodiesAreSortedByTheirCode() {
        assertRefused(400, "AUTH_CODE_NOT_VALID", Kind.INVALID_GRANT);
        assertRefused(400, "AUTH_CODE_NOT_EXIST", Kind.INVALID_GRANT);
        assertRefused(400, "REFRESH_TOKEN_NOT_VALID", Kind.INVALID_GRANT);
        assertRefused(400, "REFRESH_TOKEN_TIME_OUT", Kind.INVALID_GRANT);
        assertRefused(400, "APP_ID_NOT_CONSISTENT", Kind.CONFIGURATION);
        assertRefused(400, "invalid-app-id", Kind.CONFIGURATION);
        assertRefused(401, "invalid-signature", Kind.CONFIGURATION);
        assertRefused(400, "invalid-timestamp", Kind.RETRYABLE);
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedWithoutReadingThem() {
        answer = new Answer(429, "{\"code\":\"app-call-limited\",\"message\":\"x\"}", Signing.SIGNED);
        UpstreamFailure limited = assertThrows(UpstreamFailure.class, () -> gateway.exchange(app, "code-1"));
        assertEquals(Kind.RETRYABLE, limited.kind());
        assertEquals("HTTP_429", limited.code());

        answer = new Answer(502, "<html><body>bad gateway</body></html>", Signing.UNSIGNED);
        UpstreamFailure proxy = assertThrows(UpstreamFailure.class, () -> gateway.exchange(app, "code-1"));
        assertEquals(Kind.RETRYABLE, proxy.kind());
        assertEquals("HTTP_502", proxy.code());
    }

    @Test
    void aCutOffAnswerIsLost() {
        answer = new Answer(200, TOKENS.substring(0, TOKENS.length() / 2), Signing.SIGNED);

        UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> gateway.refresh(app, "rt-old"));

        assertEquals(Kind.LOST, failure.kind());
        assertEquals("MALFORMED_RESPONSE", failure.code());
    }

    @Test
    void withoutTheAppsKeyNothingIsSent() {
        signStatus = 404;

        UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> gateway.exchange(app, "code-1"));

        assertEquals(Kind.CONFIGURATION, failure.kind());
        assertEquals("KEY_NOT_FOUND", failure.code());
        assertTrue(atProvider.isEmpty());
    }

    private void assertRefused(int status, String code, Kind kind) {
        answer = new Answer(status, "{\"code\":\"" + code + "\",\"message\":\"refused\"}", Signing.SIGNED);
        UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> gateway.exchange(app, "code-1"));
        assertEquals(kind, failure.kind(), code);
        assertEquals(code, failure.code());
    }

    private static Received received(HttpExchange exchange) throws IOException {
        return new Received(exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("X-Keyfleet-Tenant"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        if (answer.signing() != Signing.UNSIGNED) {
            String timestamp = String.valueOf(System.currentTimeMillis());
            String nonce = "nonce-" + System.nanoTime();
            exchange.getResponseHeaders().add("alipay-timestamp", timestamp);
            exchange.getResponseHeaders().add("alipay-nonce", nonce);
            exchange.getResponseHeaders().add("alipay-signature", sign(timestamp + "\n" + nonce + "\n" + answer.body() + "\n"));
        }
        String body = answer.signing() == Signing.TAMPERED ? answer.body().replace("3600", "9999") : answer.body();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /**
     * signing-service's API in short: a fixed v3 Authorization header, or a refusal; the check of a v3 answer. A proxy, not a
     * class implementing SignatureApi: Quarkus indexes test classes, and the token-service ITs would take such a class for a
     * bean or resource.
     */
    private SignatureApi signingServiceStandIn() {
        return (SignatureApi) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SignatureApi.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "sign" -> signAnswer((String) args[0], (SignRequest) args[1]);
                    case "verify" -> verifyAnswer((String) args[0], (VerifyRequest) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private SignResult signAnswer(String tenant, SignRequest request) {
        signRequests.add(new Call<>(tenant, request));
        if (signStatus != 200) {
            throw new WebApplicationException(Response.status(signStatus).type("application/problem+json")
                    .entity("{\"code\":\"KEY_NOT_FOUND\",\"detail\":\"no key\"}").build());
        }
        return new SignResult("alipay-v3", "key_1", 1, Map.of("Authorization", AUTHORIZATION), Map.of());
    }

    private VerifyResult verifyAnswer(String tenant, VerifyRequest request) {
        verifyRequests.add(new Call<>(tenant, request));
        boolean valid = verifies(request.message());
        return new VerifyResult(valid, valid ? 1 : null, valid ? null : "BAD_SIGNATURE", null, null, null, null);
    }

    /** The platform key over timestamp, nonce and body. */
    private static boolean verifies(Parts message) {
        Map<String, String> headers = message.headers();
        String content = headers.get("alipay-timestamp") + "\n" + headers.get("alipay-nonce") + "\n" + message.body() + "\n";
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(PLATFORM.getPublic());
            verifier.update(content.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(headers.get("alipay-signature")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String sign(String content) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(PLATFORM.getPrivate());
            signer.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair platformKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
