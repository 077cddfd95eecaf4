package io.keyfleet.keys.keypair;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/tenants/{tenantId}/keys")
public class AppKeyResource {

    public record CreateKeyRequest(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or dashes, e.g. alipay") String provider,
            @NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1-64 letters, digits, '_', '.' or '-'") String appId,
            @NotNull Environment environment) {
    }

    public record VersionView(int version, KeyState state, String fingerprint, String publicKey, Instant createdAt, Instant validUntil) {
        static VersionView of(AppKeyVersion v) {
            return new VersionView(v.version, v.state, v.fingerprint, v.publicKey, v.createdAt, v.validUntil);
        }
    }

    public record KeyView(UUID keyId, String tenantId, String provider, String appId, Environment environment,
                          KeyAlgorithm algorithm, int currentVersion, List<VersionView> versions) {
        static KeyView of(AppKey key) {
            return new KeyView(key.id, key.tenantId, key.provider, key.appId, key.environment, key.algorithm,
                    key.currentVersion, AppKeyVersion.of(key.id).stream().map(VersionView::of).toList());
        }
    }

    /** The only response that ever carries the private key. */
    public record NewKeyMaterial(UUID keyId, int version, String fingerprint, String publicKeyPem, String publicKeyBase64,
                                 String privateKeyPem, String notice) {
        static NewKeyMaterial of(AppKeys.Created created) {
            return new NewKeyMaterial(created.key().id, created.version().version, created.material().fingerprint(),
                    created.material().publicKeyPem(), created.material().publicKeyBase64(), created.material().privateKeyPem(),
                    "The private key is shown only in this response. Store it now; it cannot be read again.");
        }
    }

    @Inject
    AppKeys appKeys;

    @POST
    @Operation(summary = "Generate an RSA-2048 key pair; the private key is returned exactly once")
    public Response create(@PathParam("tenantId") String tenantId, @Valid @NotNull CreateKeyRequest request) {
        AppKeys.Created created = appKeys.create(tenantId, request.provider(), request.appId(), request.environment());
        return Response.created(URI.create("/v1/tenants/" + tenantId + "/keys/" + created.key().id))
                .entity(NewKeyMaterial.of(created)).build();
    }

    @GET
    @Path("/{keyId}")
    public KeyView get(@PathParam("tenantId") String tenantId, @PathParam("keyId") UUID keyId) {
        return KeyView.of(appKeys.require(tenantId, keyId));
    }

    @POST
    @Path("/{keyId}/rotate")
    @Operation(summary = "Replace the key now; the old version stays valid for the key's grace period")
    public NewKeyMaterial rotate(@PathParam("tenantId") String tenantId, @PathParam("keyId") UUID keyId) {
        return NewKeyMaterial.of(appKeys.rotate(tenantId, keyId));
    }
}
