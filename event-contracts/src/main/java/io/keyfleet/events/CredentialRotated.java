package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A credential got a new secret version; the previous one keeps working until {@code previousValidUntil}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CredentialRotated(String credentialId, int version, Instant previousValidUntil) implements DomainEvent {

    public CredentialRotated {
        Checks.text(credentialId, "credentialId");
        Checks.atLeast(version, 1, "version");
        Checks.present(previousValidUntil, "previousValidUntil");
    }

    @Override
    public String aggregateId() {
        return credentialId;
    }
}
