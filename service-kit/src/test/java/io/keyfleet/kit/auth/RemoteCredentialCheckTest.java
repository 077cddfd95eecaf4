package io.keyfleet.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.auth.VerificationCode;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.kit.client.ServiceCall;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a service that has just dropped a credential's cached answers must not fill its cache again from key-service's
 * cache, which may not have heard of the change yet; it asks key-service past its cache for a cache lifetime.
 */
class RemoteCredentialCheckTest {

    private static final UUID CREDENTIAL = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

    private final List<String> cacheControl = new ArrayList<>();
    private final VerificationCache cache = new VerificationCache();
    private final RemoteCredentialCheck check = new RemoteCredentialCheck();

    @BeforeEach
    void start() {
        AuthConfig config = config();
        cache.config = config;
        cache.transactions = (TransactionSynchronizationRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TransactionSynchronizationRegistry.class},
                (proxy, method, args) -> method.getName().equals("getTransactionStatus") ? Status.STATUS_NO_TRANSACTION : null);
        check.config = config;
        check.cache = cache;
        check.call = ServiceCall.unguarded("key-service");
        check.keyService = (request, cacheControlHeader) -> {
            cacheControl.add(String.valueOf(cacheControlHeader));
            return new Verification(true, VerificationCode.VALID, "ok", CREDENTIAL, "acme", List.of("keys:read"), null);
        };
    }

    @Test
    void afterAnEvictionKeyServiceIsAskedPastItsCache() {
        PresentedCredential presented = new PresentedCredential("kf_test_key", null, "127.0.0.1", "keys:read");
        assertThat(check.verify(presented).valid()).isTrue();
        cache.evict(CREDENTIAL);
        assertThat(check.verify(presented).valid()).isTrue();
        assertThat(cacheControl).containsExactly("null", "no-cache");
    }

    private static AuthConfig config() {
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

            public Optional<String> serviceApiKey() {
                return Optional.of("kf_test_service");
            }
        };
    }
}
