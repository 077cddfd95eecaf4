package io.keyfleet.sandbox.admin;

import io.keyfleet.sandbox.gateway.PlatformKey;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sandbox/admin/platform-key")
@Tag(name = "Sandbox admin: platform key", description = "The key the sandbox signs its responses with")
public class PlatformKeyResource {

    public record PlatformKeyView(String alipayPublicKey, String publicKeyPem, String signType) {
    }

    @Inject
    PlatformKey platformKey;

    @GET
    @Operation(summary = "The platform public key", description = "alipayPublicKey is what DefaultAlipayClient and the v3 AlipayConfig take as "
            + "alipayPublicKey (bare base64 of the SubjectPublicKeyInfo).")
    public PlatformKeyView get() {
        String base64 = platformKey.publicKeyBase64();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(platformKey.publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        return new PlatformKeyView(base64, pem, "RSA2");
    }
}
