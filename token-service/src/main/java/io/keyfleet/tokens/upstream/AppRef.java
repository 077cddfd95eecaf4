package io.keyfleet.tokens.upstream;

/**
 * Which ISV app, of which tenant, at which provider and environment an upstream call is made for, and through which of
 * the provider's gateways.
 */
public record AppRef(String tenantId, String provider, String appId, String environment, GatewayVersion gateway) {
}
