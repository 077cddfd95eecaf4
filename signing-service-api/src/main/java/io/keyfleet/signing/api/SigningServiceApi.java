package io.keyfleet.signing.api;

import io.keyfleet.auth.SignedRequestHeaders;

/**
 * What every signing-service API shares. The typed clients (the interfaces of this package, as Quarkus REST clients) are
 * configured under {@value #CONFIG_KEY}: {@code quarkus.rest-client.signing-service.url}, one URL for all of them. A system
 * caller (one of the suite's services) names the tenant it acts for in {@value #TENANT_HEADER}; a tenant's own credential
 * may leave it out. Errors are {@code application/problem+json} with a {@code code}.
 */
public final class SigningServiceApi {

    public static final String CONFIG_KEY = "signing-service";
    public static final String TENANT_HEADER = SignedRequestHeaders.TENANT;

    private SigningServiceApi() {
    }
}
