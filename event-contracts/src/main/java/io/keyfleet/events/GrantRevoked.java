package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An authorization grant was revoked; its tokens are no longer used. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GrantRevoked(String grantId, String reason) implements DomainEvent {

    public GrantRevoked {
        Checks.text(grantId, "grantId");
        Checks.text(reason, "reason");
    }

    @Override
    public String aggregateId() {
        return grantId;
    }
}
