package io.keyfleet.keys.credential;

import io.keyfleet.kit.auth.CredentialCheck;
import io.keyfleet.kit.auth.PresentedCredential;
import io.keyfleet.keys.api.Verification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** key-service authenticates its own callers straight from its database, instead of over HTTP like the others. */
@ApplicationScoped
public class LocalCredentialCheck implements CredentialCheck {

    @Inject
    CredentialVerifier verifier;

    @Override
    public Verification verify(PresentedCredential presented) {
        return verifier.verify(presented, null);
    }
}
