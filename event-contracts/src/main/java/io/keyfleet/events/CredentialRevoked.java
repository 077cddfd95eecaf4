package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A credential was revoked; callers using it are refused from now on. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CredentialRevoked(String credentialId, String reason) implements DomainEvent {

    public CredentialRevoked {
        Checks.text(credentialId, "credentialId");
        Checks.text(reason, "reason");
    }

    @Override
    public String aggregateId() {
        return credentialId;
    }
}
