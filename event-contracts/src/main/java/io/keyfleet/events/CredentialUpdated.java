package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A credential was enabled or disabled; services drop what they cached about it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CredentialUpdated(String credentialId, boolean enabled) implements DomainEvent {

    public CredentialUpdated {
        Checks.text(credentialId, "credentialId");
    }

    @Override
    public String aggregateId() {
        return credentialId;
    }
}
