package io.keyfleet.kit.auth;

/**
 * What a caller presented: an API key ({@code apiKey}, with or without "Bearer ") or a signed request
 * ({@code signed}), not both; {@code sourceIp} is the caller's address as this service determined it;
 * {@code requiredScope} null means any scope will do.
 */
public record PresentedCredential(String apiKey, Signed signed, String sourceIp, String requiredScope) {

    /**
     * A signed request as presented: the signature fields plus what was signed. {@code version} is the
     * X-Keyfleet-Signature-Version header as sent (null: none, the deprecated v1), {@code tenant} the X-Keyfleet-Tenant
     * header as sent (null: none); bodySha256 null means an empty body.
     */
    public record Signed(String secretId, String timestamp, String nonce, String signature, String version,
                         String method, String path, String query, String tenant, String bodySha256) {
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    public boolean hasSignature() {
        return signed != null && signed.secretId() != null && !signed.secretId().isBlank();
    }
}
