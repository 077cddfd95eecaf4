package io.keyfleet.sandbox.app;

import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sandbox.cert.SandboxCa;
import io.keyfleet.sandbox.support.Rsa;
import io.keyfleet.sandbox.support.SandboxConfig;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/apps/{appId}")
@Tag(name = "Sandbox admin: apps", description = "ISV apps the imitated platform knows, with their public keys and token lifetimes")
public class AppResource {

    public record RegisterAppRequest(
            @NotNull @Size(min = 1, max = 16384) String publicKey,
            @Positive Long accessTokenLifetimeSeconds,
            @Positive Long refreshTokenLifetimeSeconds,
            @PositiveOrZero Long refreshGraceSeconds,
            Boolean omitExpiry,
            Boolean certificateMode) {
    }

    /**
     * In certificate mode also the three files an app downloads from the platform: its own public-key certificate
     * (appCertPublicKey_&lt;appId&gt;.crt), the platform's (alipayCertPublicKey_RSA2.crt) and the root bundle
     * (alipayRootCert.crt), with their SNs.
     */
    public record AppView(String appId, String publicKey, long accessTokenLifetimeSeconds, long refreshTokenLifetimeSeconds,
                          long refreshGraceSeconds, boolean omitExpiry, Instant createdAt, Instant updatedAt, boolean certificateMode,
                          String appCertificate, String appCertSn, String alipayCertificate, String alipayCertSn, String rootCertificate,
                          String alipayRootCertSn) {
        static AppView of(SandboxApp app, SandboxCa ca) {
            boolean cert = app.certificateMode();
            return new AppView(app.appId(), Base64.getEncoder().encodeToString(app.publicKey().getEncoded()),
                    app.accessLifetimeSeconds(), app.refreshLifetimeSeconds(), app.refreshGraceSeconds(), app.omitExpiry(),
                    app.createdAt(), app.updatedAt(), cert,
                    cert ? ca.appCertificatePem(app.appCertificate()) : null, cert ? AlipayCertificates.certSn(app.appCertificate()) : null,
                    cert ? ca.platformCertificatePem() : null, cert ? ca.platformCertSn() : null,
                    cert ? ca.rootBundlePem() : null, cert ? ca.rootCertSn() : null);
        }
    }

    @Inject
    SandboxCa ca;

    @Inject
    SandboxApps apps;

    @Inject
    SandboxConfig config;

    @PUT
    @Operation(summary = "Register an app or replace its key and lifetimes",
            description = "publicKey: the app's RSA public key (PEM or bare base64, at least 2048 bits). expires_in is "
                    + "accessTokenLifetimeSeconds, re_expires_in is refreshTokenLifetimeSeconds (defaults: 365 and 372 days). "
                    + "A used refresh token stays usable for refreshGraceSeconds (default: refreshTokenLifetimeSeconds, as the "
                    + "platform documents), never past its own expiry. omitExpiry answers without expires_in and re_expires_in. "
                    + "certificateMode: Alipay public-key certificate mode; the sandbox CA issues the app a certificate of its key, "
                    + "requests must carry app_cert_sn and alipay_root_cert_sn, and answers name the platform certificate in "
                    + "alipay_cert_sn. The answer then carries appCertificate, alipayCertificate and rootCertificate (PEM).")
    public AppView register(@PathParam("appId") @Pattern(regexp = "[0-9A-Za-z_-]{1,32}", message = "must be 1-32 letters, digits, - or _") String appId,
                            @Valid @NotNull RegisterAppRequest request) {
        byte[] der = Rsa.derFromText(request.publicKey());
        PublicKey publicKey;
        try {
            publicKey = der == null ? null : Rsa.publicKey(der);
        } catch (IllegalArgumentException e) {
            publicKey = null;
        }
        if (publicKey == null) {
            throw ProblemException.badRequest("KEY_MALFORMED",
                    "publicKey is not an RSA public key; paste the PEM or the bare base64 of its SubjectPublicKeyInfo.");
        }
        if (Rsa.modulusBits(publicKey) < 2048) {
            throw ProblemException.badRequest("KEY_TOO_WEAK", "publicKey must be RSA with at least 2048 bits for RSA2.");
        }
        long access = request.accessTokenLifetimeSeconds() == null ? config.defaultAccessLifetimeSeconds() : request.accessTokenLifetimeSeconds();
        long refresh = request.refreshTokenLifetimeSeconds() == null ? config.defaultRefreshLifetimeSeconds() : request.refreshTokenLifetimeSeconds();
        long grace = request.refreshGraceSeconds() == null ? refresh : request.refreshGraceSeconds();
        return AppView.of(apps.register(appId, publicKey, access, refresh, grace, Boolean.TRUE.equals(request.omitExpiry()),
                Boolean.TRUE.equals(request.certificateMode())), ca);
    }

    @GET
    @Operation(summary = "Read a registered app")
    public AppView get(@PathParam("appId") String appId) {
        return apps.find(appId).map(app -> AppView.of(app, ca))
                .orElseThrow(() -> ProblemException.notFound("APP_NOT_FOUND", "No app '" + appId + "' is registered; PUT it first."));
    }
}
