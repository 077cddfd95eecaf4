package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.api.CertAlipayRequest;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.FileItem;
import com.alipay.api.internal.util.AbstractHttpClient;
import com.alipay.api.request.AlipayOpenAuthTokenAppRequest;
import com.alipay.api.response.AlipayOpenAuthTokenAppResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alipay public-key certificate mode end to end, over real processes (provider-sandbox, key-service, signing-service):
 * the app's key is made in key-service, the sandbox registers it as a certificate-mode app and hands out its three
 * certificate files, which are imported into key-service. The official SDK's certificate client
 * ({@code DefaultAlipayClient(CertAlipayRequest)}) then calls the sandbox, but every request it builds is signed by
 * signing-service ({@code POST /v1/sign}, scheme alipay-rsa2-cert, which attaches app_cert_sn and alipay_root_cert_sn) on
 * its way: the SDK holds a private key of its own that the sandbox does not know, so only Keyfleet's signature can pass.
 * The SDK verifies each answer by the certificate its alipay_cert_sn names, and signing-service does too
 * ({@code POST /v1/verify}).
 */
@ExtendWith(SuiteLogSecrets.class)
class CertModeJourneyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminApiKey;

    @Test
    void theSdksCertificateClientCallsTheSandboxThroughKeyfleetSignedRequests(@TempDir Path dataDirectory) throws Exception {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(KeyfleetService.PROVIDER_SANDBOX, KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            adminApiKey = definition.adminApiKey().orElseThrow();
            URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
            URI signing = suite.baseUrl(KeyfleetService.SIGNING_SERVICE);
            URI sandbox = suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX);
            String tenant = "cert-" + UUID.randomUUID().toString().substring(0, 8);
            String appId = "2021" + String.format("%012d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));

            send("POST", keys.resolve("/v1/tenants"), null, Map.of("id", tenant, "name", "Certificate mode"), 201);
            JsonNode key = send("POST", keys.resolve("/v1/keys"), tenant,
                    Map.of("provider", "alipay", "appId", appId, "environment", "SANDBOX"), 201);
            JsonNode files = send("PUT", sandbox.resolve("/sandbox/admin/apps/" + appId), null,
                    Map.of("publicKey", key.get("publicKeyBase64").asText(), "certificateMode", true), 200);
            send("PUT", keys.resolve("/v1/provider-certificates"), tenant, Map.of("provider", "alipay", "environment", "SANDBOX",
                    "certificate", files.get("alipayCertificate").asText(), "rootCertificate", files.get("rootCertificate").asText()), 200);
            JsonNode appCertificate = send("PUT", keys.resolve("/v1/keys/" + key.get("keyId").asText() + "/certificates"), tenant,
                    Map.of("certificate", files.get("appCertificate").asText()), 200);
            assertEquals(files.get("appCertSn").asText(), appCertificate.get("appCertSn").asText());

            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            CertAlipayRequest config = new CertAlipayRequest();
            config.setServerUrl(sandbox.resolve("/gateway.do").toString());
            config.setAppId(appId);
            config.setPrivateKey(Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded()));
            config.setFormat("json");
            config.setCharset("UTF-8");
            config.setSignType("RSA2");
            config.setCertContent(files.get("appCertificate").asText());
            config.setAlipayPublicCertContent(files.get("alipayCertificate").asText());
            config.setRootCertContent(files.get("rootCertificate").asText());
            DefaultAlipayClient client = new DefaultAlipayClient(config);
            List<String> verdicts = new ArrayList<>();
            client.setCustomizedHttpClient(new ThroughKeyfleet(signing, sandbox, tenant, appId, verdicts));

            JsonNode consent = send("POST", sandbox.resolve("/sandbox/consents"), null, Map.of("appId", appId, "userId", "2088102150527498"), 201);
            AlipayOpenAuthTokenAppRequest exchange = new AlipayOpenAuthTokenAppRequest();
            exchange.setBizContent("{\"grant_type\":\"authorization_code\",\"code\":\"" + consent.get("appAuthCode").asText() + "\"}");
            AlipayOpenAuthTokenAppResponse exchanged = client.certificateExecute(exchange);
            SuiteLogSecrets.harvest(exchanged.getBody());
            assertTrue(exchanged.isSuccess(), exchanged.getBody());
            assertEquals("2088102150527498", exchanged.getUserId());

            AlipayOpenAuthTokenAppRequest refresh = new AlipayOpenAuthTokenAppRequest();
            refresh.setBizContent("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + exchanged.getAppRefreshToken() + "\"}");
            AlipayOpenAuthTokenAppResponse refreshed = client.certificateExecute(refresh);
            SuiteLogSecrets.harvest(refreshed.getBody());
            assertTrue(refreshed.isSuccess(), refreshed.getBody());
            assertNotEquals(exchanged.getAppAuthToken(), refreshed.getAppAuthToken());
            assertEquals(List.of("valid " + files.get("alipayCertSn").asText(), "valid " + files.get("alipayCertSn").asText()), verdicts);
        }
    }

    /**
     * The SDK's transport: the request it built goes to signing-service to be signed (its own sign, made with a key the
     * sandbox does not know, is dropped), then to the sandbox; the answer is checked by signing-service, then given back
     * to the SDK, which checks it again.
     */
    private final class ThroughKeyfleet extends AbstractHttpClient {
        private final URI signing;
        private final URI sandbox;
        private final String tenant;
        private final String appId;
        private final List<String> verdicts;

        ThroughKeyfleet(URI signing, URI sandbox, String tenant, String appId, List<String> verdicts) {
            this.signing = signing;
            this.sandbox = sandbox;
            this.tenant = tenant;
            this.appId = appId;
            this.verdicts = verdicts;
        }

        @Override
        public String doPost(String url, Map<String, String> applicationParams, String charset, Map<String, String> headers) throws IOException {
            try {
                Map<String, String> params = new LinkedHashMap<>();
                for (String pair : URI.create(url).getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
                params.putAll(applicationParams);
                String sdkAppCertSn = params.get("app_cert_sn");
                String sdkRootCertSn = params.get("alipay_root_cert_sn");
                String sdkSign = params.remove("sign");

                JsonNode signed = send("POST", signing.resolve("/v1/sign"), tenant, Map.of("key", Map.of("provider", "alipay", "appId", appId,
                        "environment", "SANDBOX"), "scheme", "alipay-rsa2-cert", "request", Map.of("params", params)), 200);
                assertEquals(sdkAppCertSn, signed.get("params").get("app_cert_sn").asText(), "Keyfleet's app_cert_sn is the SDK's");
                assertEquals(sdkRootCertSn, signed.get("params").get("alipay_root_cert_sn").asText(), "Keyfleet's alipay_root_cert_sn is the SDK's");
                assertFalse(signed.get("params").get("sign").asText().equals(sdkSign), "the SDK's own key is not the app's");
                for (Iterator<Map.Entry<String, JsonNode>> it = signed.get("params").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }

                String form = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(sandbox.resolve("/gateway.do")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(), HttpResponse.BodyHandlers.ofString());
                SuiteLogSecrets.harvest(answer.body());

                JsonNode verdict = send("POST", signing.resolve("/v1/verify"), tenant, Map.of("key", Map.of("provider", "alipay",
                        "environment", "SANDBOX"), "scheme", "alipay-rsa2-cert", "kind", "RESPONSE", "message",
                        Map.of("body", answer.body(), "apiMethod", params.get("method"))), 200);
                verdicts.add((verdict.get("valid").asBoolean() ? "valid " : "invalid " + verdict.get("reason").asText() + " ")
                        + verdict.get("certSn").asText());
                return answer.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } catch (Exception e) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        @Override
        public String doPost(String url, Map<String, String> params, Map<String, FileItem> files, String charset, Map<String, String> headers)
                throws IOException {
            return doPost(url, params, charset, headers);
        }
    }

    private JsonNode send(String method, URI uri, String tenant, Object body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminApiKey)
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        SuiteLogSecrets.harvest(response.body());
        assertEquals(expectedStatus, response.statusCode(), uri + " answered " + response.body());
        JsonNode node = JSON.readTree(response.body());
        if (node instanceof ObjectNode object) {
            object.remove("privateKeyPem");
        }
        return node;
    }
}
