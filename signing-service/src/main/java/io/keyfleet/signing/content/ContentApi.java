package io.keyfleet.signing.content;

import io.keyfleet.signing.api.SignatureApi.KeyRef;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON of /v1/encrypt and /v1/decrypt. The key is the app's AES content key (Alipay's encrypt_key) held in
 * key-service as an app secret of type AES; the texts are bounded like a signed message's: at most
 * keyfleet.signing.max-message-chars characters (413 MESSAGE_TOO_LARGE), {@link #MAX_TEXT} whatever the configuration.
 */
public final class ContentApi {

    static final int MAX_TEXT = 16 * 1024 * 1024;
    static final String TYPES = "(?i)AES|AES_V2";
    static final String TYPES_MESSAGE = "must be AES or AES_V2";
    static final String CHARSETS = "(?i)UTF-8|GBK|GB2312";
    static final String CHARSETS_MESSAGE = "must be UTF-8, GBK or GB2312";

    private ContentApi() {
    }

    public record EncryptRequest(
            @NotNull @Valid KeyRef key,
            @Schema(description = "The SDK's encryptType: AES (zero IV, what Alipay's encrypt_type=AES means; the default) or "
                    + "AES_V2 (a random IV before the ciphertext)")
            @Pattern(regexp = TYPES, message = TYPES_MESSAGE) String encryptType,
            @Schema(description = "The charset the plaintext is encrypted in: UTF-8 (the default), GBK or GB2312")
            @Pattern(regexp = CHARSETS, message = CHARSETS_MESSAGE) String charset,
            @NotNull @Size(max = MAX_TEXT) String plaintext) {
    }

    /** The ciphertext in base64, and the secret version that encrypted it. */
    public record EncryptResult(String encryptType, String secretId, int keyVersion, String ciphertext) {
    }

    public record DecryptRequest(
            @NotNull @Valid KeyRef key,
            @Pattern(regexp = TYPES, message = TYPES_MESSAGE) String encryptType,
            @Pattern(regexp = CHARSETS, message = CHARSETS_MESSAGE) String charset,
            @NotNull @Size(max = MAX_TEXT) String ciphertext,
            @Schema(description = "The secret version to decrypt with; when absent the CURRENT version is tried first, then "
                    + "PREVIOUS versions within their grace period")
            @Min(1) @Max(1_000_000) Integer keyVersion) {
    }

    /** The plaintext, and the secret version that decrypted it. */
    public record DecryptResult(String encryptType, String secretId, int keyVersion, String plaintext) {
    }
}
