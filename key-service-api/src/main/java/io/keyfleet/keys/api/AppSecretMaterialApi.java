package io.keyfleet.keys.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * An app secret's usable versions with their bytes, for signing-service only: the same guard as private keys
 * ({@link KeyMaterialApi}). 404 SECRET_NOT_FOUND when the app has no such secret.
 */
@Path("/internal/v1/app-secrets")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface AppSecretMaterialApi {

    /** One usable version (CURRENT, or PREVIOUS within its grace), its bytes in base64. */
    record SecretVersionMaterial(int version, KeyState state, Instant validUntil, String secret) {
        @Override
        public String toString() {
            return "SecretVersionMaterial[" + version + "]"; // never the secret
        }
    }

    /** An app secret (an AES content key, an HMAC secret) with its usable versions. */
    record SecretMaterial(UUID secretId, String tenantId, String provider, String appId, Environment environment,
                          AppSecretType type, int currentVersion, List<SecretVersionMaterial> versions) {
    }

    @GET
    SecretMaterial appSecret(@QueryParam("tenantId") @NotNull @Size(max = 64) String tenantId,
                            @QueryParam("provider") @NotNull @Size(max = 40) String provider,
                            @QueryParam("appId") @NotNull @Size(max = 64) String appId,
                            @QueryParam("environment") @NotNull Environment environment,
                            @QueryParam("type") @NotNull AppSecretType type);
}
