package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A credential (or, after a rotation, its previous secret) stops working soon: published 30 and 7 days ahead so an
 * integration can tell its people to add or replace the key before calls fail. daysLeft is 30 or 7.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CredentialExpiring(String credentialId, int version, Instant expiresAt, int daysLeft, String action)
        implements DomainEvent {

    public CredentialExpiring {
        Checks.text(credentialId, "credentialId");
        Checks.atLeast(version, 1, "version");
        Checks.present(expiresAt, "expiresAt");
        Checks.atLeast(daysLeft, 0, "daysLeft");
        Checks.text(action, "action");
    }

    @Override
    public String aggregateId() {
        return credentialId;
    }
}
