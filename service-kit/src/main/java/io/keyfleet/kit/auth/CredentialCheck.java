package io.keyfleet.kit.auth;

import io.keyfleet.keys.api.Verification;

/**
 * Verifies a presented credential. key-service answers from its own database; every other service asks key-service
 * ({@link RemoteCredentialCheck}). Never throws for a bad credential: that is a refused {@link Verification}.
 */
public interface CredentialCheck {

    Verification verify(PresentedCredential presented);
}
