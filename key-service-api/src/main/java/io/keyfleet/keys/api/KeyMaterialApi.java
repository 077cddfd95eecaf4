package io.keyfleet.keys.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Key lookups and private key material, for signing-service only (scope {@code keys:material}, and only signing-service's
 * own service credential: anyone else gets 403 MATERIAL_NOT_FOR_CALLER). 404 KEY_NOT_FOUND / VERSION_NOT_FOUND when there is
 * no such key or version; 409 VERSION_NOT_USABLE for a version that may not sign (PENDING, RETIRED, PREVIOUS past its grace,
 * public-key only, or a revoked key).
 */
@Path("/internal/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface KeyMaterialApi {

    /** A key with the public parts of all its versions. */
    record KeySummary(UUID keyId, String tenantId, String provider, String appId, Environment environment, int currentVersion,
                      List<KeyVersionView> versions) {
        /** The versions past PENDING: a PENDING version never signs or verifies, and no key event announces it. */
        public List<KeyVersionView> announced() {
            return versions.stream().filter(v -> v.state() != KeyState.PENDING).toList();
        }
    }

    /** One version's private key (PKCS#8, base64) with its public parts. */
    record VersionMaterial(UUID keyId, String tenantId, String provider, String appId, Environment environment, int version,
                           KeyState state, String algorithm, String fingerprint, String publicKey, String privateKeyPkcs8,
                           Instant validUntil) {
        @Override
        public String toString() {
            return "VersionMaterial[" + keyId + "/" + version + "]"; // never the private key
        }
    }

    @GET
    KeySummary lookup(@QueryParam("tenantId") @NotNull @Size(max = 64) String tenantId,
                      @QueryParam("provider") @NotNull @Size(max = 40) String provider,
                      @QueryParam("appId") @NotNull @Size(max = 64) String appId,
                      @QueryParam("environment") @NotNull Environment environment);

    /** What a key event names: the services read the key's state here rather than trust the event. */
    @GET
    @Path("/{keyId}")
    KeySummary byId(@PathParam("keyId") UUID keyId);

    /** CURRENT, or PREVIOUS within its grace period. */
    @GET
    @Path("/{keyId}/versions/{version}/material")
    VersionMaterial material(@PathParam("keyId") UUID keyId, @PathParam("version") int version);
}
