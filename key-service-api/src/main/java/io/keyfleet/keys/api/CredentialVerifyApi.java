package io.keyfleet.keys.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * "May this caller in?", asked by every service of key-service for each request it cannot answer from its own cache (scope
 * {@code credentials:verify}). Always 200 with a {@link Verification}.
 */
@Path("/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface CredentialVerifyApi {

    /**
     * A presented credential. For a signed request: secretId, timestamp (Unix seconds), nonce, signature (base64 HMAC-SHA256),
     * signatureVersion (the X-Keyfleet-Signature-Version header: 2; omitted = the deprecated 1), method, path, query, tenant
     * (the X-Keyfleet-Tenant header as sent; omitted = none) and bodySha256 (hex; omitted = empty body). sourceIp is the
     * caller's address as the calling service saw it.
     */
    record VerifyRequest(@Size(max = 200) String apiKey,
                         @Size(max = 64) String secretId,
                         @Size(max = 20) String timestamp,
                         @Size(max = 64) String nonce,
                         @Size(max = 200) String signature,
                         @Size(max = 8) String signatureVersion,
                         @Size(max = 10) String method,
                         @Size(max = 2000) String path,
                         @Size(max = 4000) String query,
                         @Size(max = 64) String tenant,
                         @Size(max = 64) String bodySha256,
                         @Size(max = 64) String sourceIp,
                         @Size(max = 64) String requiredScope) {
        @Override
        public String toString() {
            return "VerifyRequest[" + method + " " + path + "]"; // never the key or signature
        }
    }

    /**
     * Valid bearer-key answers come from a short-lived cache unless {@code cacheControl} says {@code no-cache}: a service that
     * has just heard of a credential change asks past it.
     */
    @POST
    @Path("/verify")
    Verification verify(@Valid @NotNull VerifyRequest request, @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl);
}
