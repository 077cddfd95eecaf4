package io.keyfleet.keys.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Alipay public-key certificate mode: an app key's public-key certificates, one per key version that has one. */
@Path("/v1/keys/{keyId}/certificates")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface AppCertificateApi {

    record AppCertificateView(UUID keyId, int keyVersion, String appCertSn, CertificateInfo certificate, String certificatePem,
                              Instant updatedAt) {
    }

    /** Scope {@code keys:read}; 404 KEY_NOT_FOUND when the tenant has no such key. */
    @GET
    List<AppCertificateView> appCertificates(@HeaderParam(KeyServiceApi.TENANT_HEADER) String tenant, @PathParam("keyId") UUID keyId);
}
