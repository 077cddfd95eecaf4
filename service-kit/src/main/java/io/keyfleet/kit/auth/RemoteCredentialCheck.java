package io.keyfleet.kit.auth;

import io.keyfleet.keys.api.CredentialVerifyApi;
import io.keyfleet.keys.api.CredentialVerifyApi.VerifyRequest;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.kit.client.ServiceCall;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.arc.DefaultBean;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Verification by key-service ({@link CredentialVerifyApi}, {@code POST /v1/credentials/verify}) through its typed client,
 * authenticated with this service's own API key. Within a cache lifetime after a credential event the request carries
 * {@code Cache-Control: no-cache}: key-service's own cache may not have heard the event yet, and an answer from it would put
 * the old state back into this service's cache.
 * <p>
 * <b>When key-service is down</b> the request is refused with 503 VERIFICATION_UNAVAILABLE (fail closed), fast: a refused
 * connection at once, a key-service that does not answer after 2 s (a first verification of a key may be slow
 * on a cold key-service), and once the circuit breaker is open ({@link ServiceCall})
 * without trying. Credentials verified recently still pass from {@link VerificationCache} (asked before this, by
 * {@link Authenticator}). Never retried: a signed request's nonce is spent by the first attempt.
 */
@DefaultBean
@ApplicationScoped
public class RemoteCredentialCheck implements CredentialCheck {

    private static final Logger LOG = Logger.getLogger(RemoteCredentialCheck.class);

    @Inject
    AuthConfig config;

    @Inject
    @RestClient
    CredentialVerifyApi keyService;

    @Inject
    VerificationCache cache;

    ServiceCall call;

    @PostConstruct
    void guard() {
        call = ServiceCall.to("key-service", "verify", Duration.ofSeconds(2), 0);
    }

    @Override
    public Verification verify(PresentedCredential presented) {
        if (config.serviceApiKey().filter(key -> !key.isBlank()).isEmpty()) {
            throw unavailable("this service has no API key of its own (keyfleet.auth.service-api-key / KEYFLEET_SERVICE_API_KEY)");
        }
        try {
            String cacheControl = cache.evictedRecently() ? "no-cache" : null;
            return call.call(() -> keyService.verify(request(presented), cacheControl));
        } catch (ClientFailure failure) {
            throw unavailable(failure.getMessage() + (failure.status == 401 || failure.status == 403 ? " to this service's own API key" : ""));
        }
    }

    private static VerifyRequest request(PresentedCredential presented) {
        PresentedCredential.Signed signed = presented.signed();
        return signed == null
                ? new VerifyRequest(presented.apiKey(), null, null, null, null, null, null, null, null, null, null,
                        presented.sourceIp(), presented.requiredScope())
                : new VerifyRequest(presented.apiKey(), signed.secretId(), signed.timestamp(), signed.nonce(), signed.signature(),
                        signed.version(), signed.method(), signed.path(), signed.query(), signed.tenant(), signed.bodySha256(),
                        presented.sourceIp(), presented.requiredScope());
    }

    private static ProblemException unavailable(String why) {
        LOG.errorf("Cannot verify a caller's credential: %s", why);
        return new ProblemException(503, "VERIFICATION_UNAVAILABLE", "Service unavailable",
                "Your credential cannot be checked right now; retry in a few seconds. If this lasts, tell the Keyfleet operators.");
    }
}
