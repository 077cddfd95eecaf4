package io.keyfleet.keys.certificate;

import io.keyfleet.keys.api.CertificateInfo;
import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.ProviderCertificateApi;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.crypto.AlipayCertificates;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/provider-certificates")
@RequiresScope(Scopes.KEYS_WRITE)
@Tag(name = "Provider certificates", description = "Alipay public-key certificate mode: the provider's public-key certificates and root bundle")
public class ProviderCertificateResource implements ProviderCertificateApi {

    public record PutProviderCertificateRequest(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or dashes, e.g. alipay") String provider,
            @NotNull Environment environment,
            @NotNull @Size(min = 1, max = AlipayCertificates.MAX_PEM_CHARS) String certificate,
            @NotNull @Size(min = 1, max = AlipayCertificates.MAX_PEM_CHARS) String rootCertificate) {
    }

    static ProviderCertificateView view(ProviderCertificate c) {
        return new ProviderCertificateView(c.id, c.provider, c.environment, c.rootCertSn,
                AlipayCertificates.parsePem(c.certificatePem, "certificate").stream().map(Certificates::info).toList(),
                AlipayCertificates.parsePem(c.rootPem, "rootCertificate").stream().map(Certificates::info).toList(),
                c.certificatePem, c.rootPem, c.updatedAt);
    }

    @Inject
    Certificates certificates;

    @Inject
    Caller caller;

    @PUT
    @Operation(summary = "Set or replace a provider's certificates", description = "Alipay public-key certificate mode, per provider "
            + "and environment: `certificate` is the provider's public-key certificate as PEM (alipayCertPublicKey_RSA2.crt, "
            + "with its intermediates; several end-entity certificates may be given while the provider changes its certificate), "
            + "`rootCertificate` the root bundle (alipayRootCert.crt). Each end-entity certificate must be valid now and chain, "
            + "signatures checked, to a self-signed certificate of the bundle (400 CERT_MALFORMED, CERT_EXPIRED, CERT_NOT_YET_VALID, "
            + "CERT_NOT_CHAINED). The set is replaced as a whole; responses are verified with the certificate whose SN they name.")
    public ProviderCertificateView put(@Valid @NotNull PutProviderCertificateRequest request) {
        return view(certificates.putProvider(caller.tenantId(), request.provider(), request.environment(),
                request.certificate(), request.rootCertificate()));
    }

    @Override
    @RequiresScope(Scopes.KEYS_READ)
    @Operation(summary = "List the provider certificates", description = "Filters provider and environment.")
    public List<ProviderCertificateView> providerCertificates(String tenantHeader, String provider, Environment environment) {
        return certificates.listProvider(caller.tenantId(), provider, environment).stream().map(ProviderCertificateResource::view).toList();
    }

    @GET
    @RequiresScope(Scopes.KEYS_READ)
    @Path("/{id}")
    @Operation(summary = "Read a provider's certificates")
    public ProviderCertificateView get(@PathParam("id") UUID id) {
        return view(certificates.requireProvider(caller.tenantId(), id));
    }
}
