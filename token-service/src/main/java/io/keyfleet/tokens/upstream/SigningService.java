package io.keyfleet.tokens.upstream;

import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.kit.client.ServiceCall;
import io.keyfleet.signing.api.MessageKind;
import io.keyfleet.signing.api.SignatureApi;
import io.keyfleet.signing.api.SignatureApi.KeyRef;
import io.keyfleet.signing.api.SignatureApi.Parts;
import io.keyfleet.signing.api.SignatureApi.SignRequest;
import io.keyfleet.signing.api.SignatureApi.SignResult;
import io.keyfleet.signing.api.SignatureApi.VerifyRequest;
import io.keyfleet.signing.api.SignatureApi.VerifyResult;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * signing-service for the token calls, through signing-service-api's typed client ({@link SignatureApi}) with this
 * service's own credential, acting for the app's tenant: {@code POST /v1/sign} with the tenant's app key and
 * {@code POST /v1/verify} of the provider's answer with the provider's public key, in the scheme of the app's gateway.
 * <p>
 * Each call gives up after 5 s and is made once more after 50 ms when nothing answered or signing-service failed (5xx)
 * ({@link ServiceCall}). Both may be repeated: a signature is made from the parts sent and changes nothing in
 * signing-service (the provider has not been called yet), and checking a RESPONSE records nothing (only notifications are
 * remembered against replays, and this class never sends one). 5 s leaves signing-service room for its own first fetch of
 * a key from key-service, which it answers with 503 KEY_SERVICE_UNAVAILABLE rather than keep us waiting.
 * <p>
 * <b>When signing-service is down</b> a token call fails within about 10 s, at once while the circuit breaker is open.
 * Before the provider was called (signing) that is RETRYABLE SIGNING_UNAVAILABLE: nothing was sent, the code or refresh
 * token is still good, an exchange is answered 502 PROVIDER_UNAVAILABLE and a refresh is tried again with backoff. After
 * the provider answered (verifying) it is LOST: the provider may have issued new tokens, but nothing in an answer that could
 * not be checked is used, and a refresh is retried within the provider's grace for the token just used. A refusal
 * (4xx: no key for the app, an unknown scheme) is CONFIGURATION with signing-service's problem code, e.g. KEY_NOT_FOUND.
 */
@ApplicationScoped
class SigningService {

    static final String SERVICE = "signing-service";

    final ServiceCall call;

    @Inject
    @RestClient
    SignatureApi signatures;

    SigningService() {
        this(ServiceCall.to(SERVICE, "signatures", Duration.ofSeconds(5), 1));
    }

    SigningService(ServiceCall call) {
        this.call = call;
    }

    /** A v2 request: its parameters. */
    static Parts params(Map<String, String> params) {
        return new Parts(null, null, null, null, params, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A v3 request: method, path and body, for the app. */
    static Parts httpRequest(String method, String path, String body, String appId) {
        return new Parts(method, path, null, body, null, null, appId, null, null, null, null, null, null, null, null, null);
    }

    /** The provider's answer: its body, the API method it answers (v2) or the headers that carry its signature (v3). */
    static Parts answer(String body, String apiMethod, Map<String, String> headers) {
        return new Parts(null, null, null, body, null, headers, null, null, null, null, null, apiMethod, null, null, null, null);
    }

    /** Signs a request's parts with the app's key; the parameter the answer says to attach, e.g. {@code sign}. */
    String signParam(AppRef app, String scheme, Parts parts, String name) {
        return attachment(sign(app, scheme, parts), SignResult::params, "params." + name, name);
    }

    /** Signs a request's parts with the app's key; the header the answer says to attach, e.g. {@code Authorization}. */
    String signHeader(AppRef app, String scheme, Parts parts, String name) {
        return attachment(sign(app, scheme, parts), SignResult::headers, "headers." + name, name);
    }

    /**
     * Checks the provider's answer (kind RESPONSE). An answer that fails the check, or that cannot be checked, is LOST:
     * the provider may have acted on the request, but nothing in the answer can be trusted.
     */
    void verifyResponse(AppRef app, String scheme, Parts message) {
        VerifyResult result;
        try {
            result = call(() -> signatures.verify(app.tenantId(), new VerifyRequest(key(app), scheme, MessageKind.RESPONSE, message)),
                    "/v1/verify");
        } catch (UpstreamFailure e) {
            throw new UpstreamFailure(Kind.LOST, e.code(), "the provider's answer could not be verified: " + e.getMessage());
        }
        if (!result.valid()) {
            throw new UpstreamFailure(Kind.LOST, "BAD_RESPONSE_SIGNATURE",
                    "the provider's answer failed its signature check: " + result.reason());
        }
    }

    private SignResult sign(AppRef app, String scheme, Parts parts) {
        return call(() -> signatures.sign(app.tenantId(), new SignRequest(key(app), scheme, parts)), "/v1/sign");
    }

    private static String attachment(SignResult result, Function<SignResult, Map<String, String>> where, String what, String name) {
        Map<String, String> attachments = where.apply(result);
        String value = attachments == null ? null : attachments.get(name);
        if (value == null) {
            throw new UpstreamFailure(Kind.CONFIGURATION, "SIGNING_FAILED", SERVICE + " gave no " + what);
        }
        return value;
    }

    /** signing-service's answer, or an {@link UpstreamFailure}: RETRYABLE when it gave none, CONFIGURATION when it refused. */
    private <T> T call(Supplier<T> request, String path) {
        try {
            return call.call(request);
        } catch (ClientFailure failure) {
            if (failure.unreachable() || failure.status == 429) {
                throw new UpstreamFailure(Kind.RETRYABLE, "SIGNING_UNAVAILABLE", failure.getMessage());
            }
            String code = failure.code == null ? "SIGNING_REFUSED" : failure.code;
            throw new UpstreamFailure(Kind.CONFIGURATION, code, SERVICE + " refused " + path + " with HTTP " + failure.status
                    + (failure.code == null ? "" : " " + failure.code));
        }
    }

    private static KeyRef key(AppRef app) {
        return new KeyRef(app.provider(), app.appId(), app.environment());
    }
}
