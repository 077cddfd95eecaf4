package io.keyfleet.keys.api;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Alipay public-key certificate mode: the provider's public-key certificates and root bundle, per environment. */
@Path("/v1/provider-certificates")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface ProviderCertificateApi {

    record ProviderCertificateView(UUID id, String provider, Environment environment, String rootCertSn,
                                   List<CertificateInfo> certificates, List<CertificateInfo> rootCertificates,
                                   String certificatePem, String rootCertificatePem, Instant updatedAt) {
    }

    /** The tenant's provider certificates; provider and environment filter when given (scope {@code keys:read}). */
    @GET
    List<ProviderCertificateView> providerCertificates(@HeaderParam(KeyServiceApi.TENANT_HEADER) String tenant,
                                       @QueryParam("provider") @Size(max = 40) String provider,
                                       @QueryParam("environment") Environment environment);
}
