package io.keyfleet.tokens.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The token endpoint of the gateway the app's calls go through ({@link AppRef#gateway()}). */
@ApplicationScoped
public class AlipayGateways implements TokenGateway {

    @Inject
    AlipayV2TokenGateway v2;

    @Inject
    AlipayV3TokenGateway v3;

    @Override
    public IssuedTokens exchange(AppRef app, String authCode) {
        return of(app).exchange(app, authCode);
    }

    @Override
    public IssuedTokens refresh(AppRef app, String refreshToken) {
        return of(app).refresh(app, refreshToken);
    }

    private TokenGateway of(AppRef app) {
        return switch (app.gateway()) {
            case V2 -> v2;
            case V3 -> v3;
        };
    }
}
