package io.keyfleet.kit.caller;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Identifies the caller of each REST request. */
public class CallerFilter {

    @Inject
    Caller caller;

    @ServerRequestFilter
    public void identify(ContainerRequestContext request) {
        caller.identify(request.getHeaderString(Caller.TENANT_HEADER));
    }
}
