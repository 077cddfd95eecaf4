package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A grant's tokens were revoked and erased; {@code tokenVersion} is the last version the grant held. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenRevoked(String grantId, String provider, String appId, String merchantId, int tokenVersion,
                           String reason) implements DomainEvent {

    public TokenRevoked {
        Checks.text(grantId, "grantId");
        Checks.text(provider, "provider");
        Checks.text(appId, "appId");
        Checks.text(merchantId, "merchantId");
        Checks.atLeast(tokenVersion, 1, "tokenVersion");
        Checks.text(reason, "reason");
    }

    @Override
    public String aggregateId() {
        return grantId;
    }
}
