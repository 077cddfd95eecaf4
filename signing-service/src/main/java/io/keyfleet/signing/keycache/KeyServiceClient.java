package io.keyfleet.signing.keycache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * key-service's APIs signing-service needs: the key-material API (private keys, on first use of a version), the app
 * keys' public parts and states, and the provider public keys. What key-service answers here is the truth about a key;
 * a key event only says which key to ask about ({@link KeyEventCheck}). Authenticates with this service's own credential, {@code Authorization: Bearer
 * <keyfleet.auth.service-api-key>}, and names the tenant it acts for in X-Keyfleet-Tenant where the API is per tenant.
 */
@ApplicationScoped
public class KeyServiceClient {

    public record VersionView(int version, String state, String algorithm, String fingerprint, String publicKey, boolean canSign,
                              Instant validUntil) {
    }

    public record KeySummary(String keyId, String tenantId, String provider, String appId, String environment, int currentVersion,
                             List<VersionView> versions) {
        /** The versions past PENDING: a PENDING version never signs or verifies, and no key event announces it. */
        public List<VersionView> announced() {
            return versions.stream().filter(v -> !"PENDING".equals(v.state())).toList();
        }
    }

    public record VersionMaterial(String keyId, String tenantId, String provider, String appId, String environment, int version,
                                  String state, String algorithm, String fingerprint, String publicKey, String privateKeyPkcs8,
                                  Instant validUntil) {
        @Override
        public String toString() {
            return "VersionMaterial[" + keyId + "/" + version + "]"; // never the private key
        }
    }

    /** One usable version of an app secret, its bytes in base64. */
    public record SecretVersionMaterial(int version, String state, Instant validUntil, String secret) {
        @Override
        public String toString() {
            return "SecretVersionMaterial[" + version + "]"; // never the secret
        }
    }

    /** An app secret (an AES content key, an HMAC secret) with its usable versions. */
    public record SecretMaterial(String secretId, String tenantId, String provider, String appId, String environment, String type,
                                 int currentVersion, List<SecretVersionMaterial> versions) {
    }

    public record ProviderKeyVersionView(int version, String state, String fingerprint, String publicKey, Instant validUntil) {
    }

    public record ProviderKeyView(String id, String provider, String environment, int currentVersion, List<ProviderKeyVersionView> versions) {
    }

    /** The provider's certificates of one environment (Alipay certificate mode), as PEM. */
    public record ProviderCertificateView(String id, String provider, String environment, String certificatePem,
                                          String rootCertificatePem) {
    }

    /** An app key version's public-key certificate (Alipay certificate mode), as PEM. */
    public record AppCertificateView(String keyId, int keyVersion, String certificatePem) {
    }

    /** key-service answered with an error status; {@code status} 0 means it could not be reached. */
    public static class KeyServiceException extends RuntimeException {
        public final int status;

        KeyServiceException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public boolean unreachable() {
            return status == 0 || status >= 500;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    SigningConfig config;

    /** This service's own API key ({@code KEYFLEET_SERVICE_API_KEY}), sent as a bearer credential. */
    @ConfigProperty(name = "keyfleet.auth.service-api-key")
    Optional<String> serviceApiKey;

    public Optional<KeySummary> lookup(String tenantId, String provider, String appId, String environment) {
        String query = "tenantId=" + enc(tenantId) + "&provider=" + enc(provider) + "&appId=" + enc(appId) + "&environment=" + enc(environment);
        return get("/internal/v1/keys?" + query, null, KeySummary.class);
    }

    /** A key by its id, as a key event names it. */
    public Optional<KeySummary> key(String keyId) {
        return get("/internal/v1/keys/" + enc(keyId), null, KeySummary.class);
    }

    public Optional<VersionMaterial> material(String keyId, int version) {
        return get("/internal/v1/keys/" + enc(keyId) + "/versions/" + version + "/material", null, VersionMaterial.class);
    }

    /** An app secret's usable versions with their bytes: the same material guard as private keys. */
    public Optional<SecretMaterial> appSecret(String tenantId, String provider, String appId, String environment, String type) {
        String query = "tenantId=" + enc(tenantId) + "&provider=" + enc(provider) + "&appId=" + enc(appId) + "&environment="
                + enc(environment) + "&type=" + enc(type);
        return get("/internal/v1/app-secrets?" + query, null, SecretMaterial.class);
    }

    public List<ProviderKeyView> providerKeys(String tenantId, String provider, String environment) {
        String query = "provider=" + enc(provider) + "&environment=" + enc(environment);
        return get("/v1/provider-keys?" + query, tenantId, ProviderKeyView[].class).map(List::of).orElse(List.of());
    }

    public List<ProviderCertificateView> providerCertificates(String tenantId, String provider, String environment) {
        String query = "provider=" + enc(provider) + "&environment=" + enc(environment);
        return get("/v1/provider-certificates?" + query, tenantId, ProviderCertificateView[].class).map(List::of).orElse(List.of());
    }

    public List<AppCertificateView> appCertificates(String tenantId, String keyId) {
        return get("/v1/keys/" + enc(keyId) + "/certificates", tenantId, AppCertificateView[].class).map(List::of).orElse(List.of());
    }

    private <T> Optional<T> get(String pathAndQuery, String tenantId, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.keyServiceUrl().replaceAll("/+$", "") + pathAndQuery))
                .timeout(config.keyServiceTimeout()).header("Accept", "application/json").GET();
        serviceApiKey.filter(k -> !k.isBlank()).ifPresent(k -> request.header("Authorization", "Bearer " + k));
        if (tenantId != null) {
            request.header("X-Keyfleet-Tenant", tenantId);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new KeyServiceException(0, "key-service is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyServiceException(0, "interrupted while calling key-service");
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new KeyServiceException(response.statusCode(), "key-service answered " + response.statusCode() + " for " + pathAndQuery.replaceAll("\\?.*", ""));
        }
        try {
            return Optional.of(JSON.readValue(response.body(), type));
        } catch (IOException e) {
            throw new KeyServiceException(502, "key-service's answer could not be read");
        } finally {
            java.util.Arrays.fill(response.body(), (byte) 0);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
