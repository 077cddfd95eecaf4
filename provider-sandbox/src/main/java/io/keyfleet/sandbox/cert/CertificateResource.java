package io.keyfleet.sandbox.cert;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/certificates")
@Tag(name = "Sandbox admin: platform key", description = "The key the sandbox signs its responses with")
public class CertificateResource {

    public record PlatformCertificatesView(String alipayCertificate, String alipayCertSn, String rootCertificate, String alipayRootCertSn) {
    }

    @Inject
    SandboxCa ca;

    @GET
    @Operation(summary = "The platform's certificates (certificate mode)", description = "alipayCertificate is the platform's "
            + "public-key certificate with its intermediate (alipayCertPublicKey_RSA2.crt), rootCertificate the root bundle "
            + "(alipayRootCert.crt): what CertAlipayRequest takes, and what Keyfleet imports with PUT /v1/provider-certificates.")
    public PlatformCertificatesView get() {
        return new PlatformCertificatesView(ca.platformCertificatePem(), ca.platformCertSn(), ca.rootBundlePem(), ca.rootCertSn());
    }
}
