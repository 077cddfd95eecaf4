package io.keyfleet.tokens.upstream;

/**
 * Which of the provider's gateways the token calls of an app go through. Chosen when a code is exchanged and kept on the
 * grant, so that its refreshes go the same way.
 */
public enum GatewayVersion {
    /** {@code alipay.open.auth.token.app} on the v2 gateway ({@code POST /gateway.do}, alipay-rsa2). */
    V2,
    /** {@code POST /v3/alipay/open/auth/token/app} (alipay-v3: the Authorization header, signed response headers). */
    V3
}
