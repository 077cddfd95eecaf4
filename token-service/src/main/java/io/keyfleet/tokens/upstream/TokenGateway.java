package io.keyfleet.tokens.upstream;

/**
 * The provider's token endpoint. The real one ({@link AlipayGateways}) goes through the gateway the app's grant names
 * ({@link AlipayV2TokenGateway}, {@link AlipayV3TokenGateway}), signs through signing-service and verifies the answer;
 * tests of the scheduling logic put a fake behind this interface.
 */
public interface TokenGateway {

    /** Exchanges a one-time authorization code; throws {@link UpstreamFailure}. */
    IssuedTokens exchange(AppRef app, String authCode);

    /** Refreshes with a refresh token, giving a new pair; throws {@link UpstreamFailure}. */
    IssuedTokens refresh(AppRef app, String refreshToken);
}
