package io.keyfleet.signing.content;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.signing.content.ContentApi.DecryptRequest;
import io.keyfleet.signing.content.ContentApi.DecryptResult;
import io.keyfleet.signing.content.ContentApi.EncryptRequest;
import io.keyfleet.signing.content.ContentApi.EncryptResult;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1")
@Tag(name = "Content encryption", description = "Alipay's AES content encryption with the app's content key (encrypt_key)")
public class ContentResource {

    @Inject
    Caller caller;

    @Inject
    ContentEncryption encryption;

    @POST
    @Path("/encrypt")
    @RequiresScope(Scopes.SIGNING_ENCRYPT)
    @Operation(summary = "Encrypt content", description = "With the CURRENT version of the app's AES content key (key-service: "
            + "POST /v1/app-secrets, type AES), as alipay-sdk-java's AlipayEncrypt.encryptContent: encryptType AES (zero IV, the "
            + "default) or AES_V2 (random IV first), charset UTF-8 (default), GBK or GB2312; the ciphertext in base64. No content "
            + "key: 404 SECRET_NOT_FOUND. More than keyfleet.signing.max-message-chars characters: 413 MESSAGE_TOO_LARGE.")
    public EncryptResult encrypt(@Valid @NotNull EncryptRequest request) {
        return encryption.encrypt(caller.tenantId(), request);
    }

    @POST
    @Path("/decrypt")
    @RequiresScope(Scopes.SIGNING_DECRYPT)
    @Operation(summary = "Decrypt content", description = "As AlipayEncrypt.decryptContent, with keyVersion when given, else the "
            + "CURRENT version and then PREVIOUS versions within their grace period; the answer names the version that "
            + "decrypted. Not base64 or not whole AES blocks: 400 MALFORMED; wrong padding under every version tried: 400 "
            + "DECRYPT_FAILED; a keyVersion that is unknown or past its grace: 409 KEY_VERSION_NOT_USABLE.")
    public DecryptResult decrypt(@Valid @NotNull DecryptRequest request) {
        return encryption.decrypt(caller.tenantId(), request);
    }
}
