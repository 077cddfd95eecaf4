package io.keyfleet.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a service that has just dropped a credential's cached answers must not fill its cache again from key-service's
 * cache, which may not have heard of the change yet; it asks key-service past its cache for a cache lifetime.
 */
class RemoteCredentialCheckTest {

    private static final UUID CREDENTIAL = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

    private HttpServer keyService;
    private final List<String> cacheControl = new ArrayList<>();
    private final VerificationCache cache = new VerificationCache();
    private final RemoteCredentialCheck check = new RemoteCredentialCheck();

    @BeforeEach
    void start() throws Exception {
        keyService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keyService.createContext("/v1/credentials/verify", exchange -> {
            synchronized (cacheControl) {
                cacheControl.add(String.valueOf(exchange.getRequestHeaders().getFirst("Cache-Control")));
            }
            byte[] body = ("{\"valid\":true,\"code\":\"VALID\",\"message\":\"ok\",\"credentialId\":\"" + CREDENTIAL
                    + "\",\"tenantId\":\"acme\",\"scopes\":[\"keys:read\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keyService.start();
        AuthConfig config = config("http://127.0.0.1:" + keyService.getAddress().getPort());
        cache.config = config;
        cache.transactions = (TransactionSynchronizationRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TransactionSynchronizationRegistry.class},
                (proxy, method, args) -> method.getName().equals("getTransactionStatus") ? Status.STATUS_NO_TRANSACTION : null);
        check.config = config;
        check.json = new ObjectMapper().registerModule(new JavaTimeModule());
        check.cache = cache;
    }

    @AfterEach
    void stop() {
        keyService.stop(0);
    }

    @Test
    void afterAnEvictionKeyServiceIsAskedPastItsCache() {
        PresentedCredential presented = new PresentedCredential("kf_test_key", null, "127.0.0.1", "keys:read");
        assertThat(check.verify(presented).valid()).isTrue();
        cache.evict(CREDENTIAL);
        assertThat(check.verify(presented).valid()).isTrue();
        assertThat(cacheControl).containsExactly("null", "no-cache");
    }

    private static AuthConfig config(String keyServiceUrl) {
        return new AuthConfig() {
            public boolean enabled() {
                return true;
            }

            public Optional<String> trustedProxies() {
                return Optional.empty();
            }

            public Duration cacheTtl() {
                return Duration.ofMinutes(5);
            }

            public int cacheMaxEntries() {
                return 100;
            }

            public String systemTenant() {
                return "keyfleet";
            }

            public String keyServiceUrl() {
                return keyServiceUrl;
            }

            public Optional<String> serviceApiKey() {
                return Optional.of("kf_test_service");
            }

            public Duration keyServiceTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
