package io.keyfleet.tokens.upstream;

/**
 * What the provider's token endpoint answered. Lifetimes in seconds, null when the provider gave none (or none usable).
 * {@code toString} leaves the tokens out.
 */
public record IssuedTokens(String merchantId, String authAppId, String accessToken, String refreshToken,
                           Long accessLifetimeSeconds, Long refreshLifetimeSeconds) {

    @Override
    public String toString() {
        return "IssuedTokens[merchant=" + merchantId + ", expiresIn=" + accessLifetimeSeconds + ", reExpiresIn="
                + refreshLifetimeSeconds + "]";
    }
}
