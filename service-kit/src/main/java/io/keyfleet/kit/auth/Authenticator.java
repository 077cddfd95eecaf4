package io.keyfleet.kit.auth;

import io.keyfleet.keys.api.Verification;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.auth.VerificationCode;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * The work of {@link AuthFilter}: lets a REST request through only with a valid credential covering the endpoint's {@link RequiresScope}: a bearer
 * API key, or a request signed with a SecretId/SecretKey pair ({@link SignedRequestHeaders}; the signature covers the
 * {@value Caller#TENANT_HEADER} header the request acts for). A refusal is a
 * problem+json with the verification code as its code (401, or 403 for a missing scope). Health, metrics and
 * OpenAPI are not REST resources and stay open.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);

    @Inject
    AuthConfig config;

    @Inject
    CredentialCheck check;

    @Inject
    VerificationCache cache;

    @Inject
    SourceAddress sourceAddress;

    @Inject
    Caller caller;

    @Inject
    MeterRegistry metrics;

    void warnWhenOff(@Observes StartupEvent start) {
        if (!config.enabled()) {
            LOG.warn("Caller authentication is OFF (keyfleet.auth.enabled=false): any caller can act for any tenant. "
                    + "Only single-service tests may run like this.");
        }
    }

    public void authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        String source = sourceAddress.of(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                http.getHeader(SourceAddress.FORWARDED_FOR));
        String tenantHeader = request.getHeaderString(Caller.TENANT_HEADER);
        if (!config.enabled()) {
            caller.unauthenticated(tenantHeader, source);
            return;
        }
        if (tenantHeader != null && !tenantHeader.isBlank()) {
            // before verification: key-service takes a signed request's tenant line only in this shape
            Caller.requireWellFormed(tenantHeader);
        }
        String scope = requiredScope(resource);
        PresentedCredential presented = presented(request, http, source, scope, tenantHeader);
        Verification verification = cache.get(presented);
        if (verification == null) {
            long generation = cache.generation();
            verification = check.verify(presented);
            cache.put(presented, verification, generation);
        }
        metrics.counter("keyfleet_auth_verifications", "code", verification.code().name()).increment();
        if (!verification.valid()) {
            throw new ProblemException(verification.code().httpStatus(), verification.code().name(),
                    verification.code() == VerificationCode.INSUFFICIENT_SCOPE ? "Forbidden" : "Unauthenticated",
                    verification.message());
        }
        boolean system = config.systemTenant().equals(verification.tenantId());
        caller.authenticated(verification.credentialId(), verification.tenantId(),
                actingTenant(verification, system, tenantHeader), verification.scopes(), system, source);
    }

    private String actingTenant(Verification verification, boolean system, String tenantHeader) {
        if (tenantHeader == null || tenantHeader.isBlank() || tenantHeader.equals(verification.tenantId())) {
            return verification.tenantId();
        }
        if (system) {
            // the suite's own credentials act for the tenant they serve; their scopes still limit what they may do
            return tenantHeader;
        }
        throw new ProblemException(403, "TENANT_NOT_ALLOWED", "Forbidden", "Credential " + verification.credentialId()
                + " belongs to tenant " + verification.tenantId() + " and cannot act for another tenant; leave out the "
                + Caller.TENANT_HEADER + " header or use a credential of that tenant.");
    }

    private static String requiredScope(ResourceInfo resource) {
        Method method = implementation(resource);
        RequiresScope annotation = method == null ? null : method.getAnnotation(RequiresScope.class);
        if (annotation == null && resource.getResourceClass() != null) {
            annotation = resource.getResourceClass().getAnnotation(RequiresScope.class);
        }
        if (annotation == null) {
            // fail closed: an endpoint nobody declared a scope for is reachable by nobody
            throw new ProblemException(403, "ENDPOINT_NOT_OPEN", "Forbidden", "This endpoint declares no scope and is closed.");
        }
        return annotation.value();
    }

    /**
     * The resource class's own method: where a resource implements an API interface (key-service-api), the JAX-RS
     * annotations sit on the interface's method but the scope on the implementing one.
     */
    private static Method implementation(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null || type == null || method.getDeclaringClass() == type) {
            return method;
        }
        try {
            return type.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return method;
        }
    }

    private static PresentedCredential presented(ContainerRequestContext request, HttpServerRequest http, String source, String scope,
                                                 String tenantHeader) {
        String authorization = request.getHeaderString(SignedRequestHeaders.AUTHORIZATION);
        String apiKey = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            apiKey = authorization.substring(7).strip();
        }
        String secretId = request.getHeaderString(SignedRequestHeaders.SECRET_ID);
        PresentedCredential.Signed signed = null;
        if (secretId != null && !secretId.isBlank()) {
            // the tenant the request acts for is signed (format v2), exactly as actingTenant below reads it
            signed = new PresentedCredential.Signed(secretId, request.getHeaderString(SignedRequestHeaders.TIMESTAMP),
                    request.getHeaderString(SignedRequestHeaders.NONCE), request.getHeaderString(SignedRequestHeaders.SIGNATURE),
                    request.getHeaderString(SignedRequestHeaders.SIGNATURE_VERSION), request.getMethod(), http.path(), http.query(),
                    tenantHeader, RequestSignature.sha256Hex(body(request)));
        }
        return new PresentedCredential(apiKey, signed, source, scope);
    }

    /** The body, read once and put back for the endpoint (it is bounded by keyfleet.http.max-body-bytes). */
    private static byte[] body(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return new byte[0];
        }
        try {
            byte[] body = request.getEntityStream().readAllBytes();
            request.setEntityStream(new ByteArrayInputStream(body));
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
