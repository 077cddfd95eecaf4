package io.keyfleet.signing.keycache;

import io.keyfleet.keys.api.AppCertificateApi;
import io.keyfleet.keys.api.AppCertificateApi.AppCertificateView;
import io.keyfleet.keys.api.AppSecretMaterialApi;
import io.keyfleet.keys.api.AppSecretMaterialApi.SecretMaterial;
import io.keyfleet.keys.api.AppSecretType;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyMaterialApi;
import io.keyfleet.keys.api.KeyMaterialApi.KeySummary;
import io.keyfleet.keys.api.KeyMaterialApi.VersionMaterial;
import io.keyfleet.keys.api.ProviderCertificateApi;
import io.keyfleet.keys.api.ProviderCertificateApi.ProviderCertificateView;
import io.keyfleet.keys.api.ProviderKeyApi;
import io.keyfleet.keys.api.ProviderKeyApi.ProviderKeyView;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.kit.client.ServiceCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What signing-service asks key-service, through key-service-api's typed clients: key lookups and private key material on
 * first use of a version, app secrets, provider keys and certificates. What key-service answers is the truth about a key; a
 * key event only says which key to ask about ({@link KeyEventCheck}). The calls carry this service's credential and name the
 * tenant they act for where the API is per tenant.
 * <p>
 * <b>When key-service is down</b> every call fails with a {@link ClientFailure} whose {@code unreachable()} is true, within
 * 2 s (one retry after 50 ms when nothing answered), at once while the circuit breaker is open ({@link ServiceCall}). The
 * caches then keep serving what they hold: signing and verification with a cached key go on; a key, secret or certificate
 * not cached yet is refused with 503 KEY_SERVICE_UNAVAILABLE.
 */
@ApplicationScoped
public class KeyService {

    private final ServiceCall call = ServiceCall.to("key-service", "keys", Duration.ofSeconds(2), 1);

    @Inject
    @RestClient
    KeyMaterialApi keys;

    @Inject
    @RestClient
    AppSecretMaterialApi appSecrets;

    @Inject
    @RestClient
    ProviderKeyApi providerKeys;

    @Inject
    @RestClient
    ProviderCertificateApi providerCertificates;

    @Inject
    @RestClient
    AppCertificateApi appCertificates;

    public Optional<KeySummary> lookup(String tenantId, String provider, String appId, String environment) {
        return environment(environment).flatMap(env -> call.find(() -> keys.lookup(tenantId, provider, appId, env)));
    }

    /** A key by its id, as a key event names it. */
    public Optional<KeySummary> key(String keyId) {
        return uuid(keyId).flatMap(id -> call.find(() -> keys.byId(id)));
    }

    public Optional<VersionMaterial> material(String keyId, int version) {
        return uuid(keyId).flatMap(id -> call.find(() -> keys.material(id, version)));
    }

    /** An app secret's usable versions with their bytes: the same material guard as private keys. */
    public Optional<SecretMaterial> appSecret(String tenantId, String provider, String appId, String environment, String type) {
        Optional<AppSecretType> secretType = Arrays.stream(AppSecretType.values()).filter(t -> t.name().equals(type)).findFirst();
        return environment(environment).flatMap(env -> secretType.flatMap(
                t -> call.find(() -> appSecrets.appSecret(tenantId, provider, appId, env, t))));
    }

    public List<ProviderKeyView> providerKeys(String tenantId, String provider, String environment) {
        return environment(environment).flatMap(env -> call.find(() -> providerKeys.providerKeys(tenantId, provider, env))).orElse(List.of());
    }

    public List<ProviderCertificateView> providerCertificates(String tenantId, String provider, String environment) {
        return environment(environment).flatMap(env -> call.find(() -> providerCertificates.providerCertificates(tenantId, provider, env)))
                .orElse(List.of());
    }

    public List<AppCertificateView> appCertificates(String tenantId, String keyId) {
        return uuid(keyId).flatMap(id -> call.find(() -> appCertificates.appCertificates(tenantId, id))).orElse(List.of());
    }

    /** signing-service keeps ids and environments as text; one key-service cannot have is simply not found. */
    private static Optional<Environment> environment(String environment) {
        return Arrays.stream(Environment.values()).filter(e -> e.name().equals(environment)).findFirst();
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
