package io.keyfleet.keys.certificate;

import io.keyfleet.keys.api.CertificateInfo;
import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.AppCertificateApi;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.crypto.AlipayCertificates;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/keys/{keyId}/certificates")
@RequiresScope(Scopes.KEYS_WRITE)
@Tag(name = "App keys")
public class AppCertificateResource implements AppCertificateApi {

    public record PutAppCertificateRequest(@NotNull @Size(min = 1, max = AlipayCertificates.MAX_PEM_CHARS) String certificate,
                                           @Min(1) @Max(1_000_000) Integer version) {
    }

    static AppCertificateView view(AppKeyCertificate c) {
        return new AppCertificateView(c.keyId, c.keyVersion, c.certSn,
                Certificates.info(AlipayCertificates.parsePem(c.certificatePem, "certificate").get(0)), c.certificatePem, c.updatedAt);
    }

    @Inject
    Certificates certificates;

    @Inject
    Caller caller;

    @PUT
    @Operation(summary = "Set the app's public-key certificate", description = "Alipay public-key certificate mode: the app's "
            + "public-key certificate as PEM (appCertPublicKey_<appId>.crt, the app's certificate first, then its intermediates) "
            + "for a version of this key (the CURRENT one unless `version` is given). Its public key must be that version's "
            + "(400 CERT_KEY_MISMATCH), it must be valid now and chain to the root bundle stored with PUT /v1/provider-certificates "
            + "for the key's provider and environment (409 ROOT_CERTIFICATE_MISSING when there is none; 400 CERT_MALFORMED, "
            + "CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_NOT_CHAINED). Its SN is the app_cert_sn signing-service attaches.")
    public AppCertificateView put(@PathParam("keyId") UUID id, @Valid @NotNull PutAppCertificateRequest request) {
        return view(certificates.putApp(caller.tenantId(), id, request.version(), request.certificate()));
    }

    @Override
    @RequiresScope(Scopes.KEYS_READ)
    @Operation(summary = "List the app's certificates", description = "One per key version that has one.")
    public List<AppCertificateView> appCertificates(String tenantHeader, UUID id) {
        return certificates.listApp(caller.tenantId(), id).stream().map(AppCertificateResource::view).toList();
    }
}
