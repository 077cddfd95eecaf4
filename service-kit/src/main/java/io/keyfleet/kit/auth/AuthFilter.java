package io.keyfleet.kit.auth;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every REST request before its endpoint runs; see {@link Authenticator}. The filter is made while the
 * application starts, before runtime configuration exists, so it only holds the (lazy) authenticator.
 */
public class AuthFilter {

    @Inject
    Authenticator authenticator;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        authenticator.authenticate(request, resource, http);
    }
}
