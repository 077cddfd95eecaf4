package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A grant's tokens were refreshed (the tokens themselves never leave token-service).
 * The expiries are null when the provider gives none.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenRefreshed(String grantId, String provider, String appId, String merchantId, int tokenVersion,
                             Instant accessExpiresAt, Instant refreshExpiresAt) implements DomainEvent {

    public TokenRefreshed {
        Checks.text(grantId, "grantId");
        Checks.text(provider, "provider");
        Checks.text(appId, "appId");
        Checks.text(merchantId, "merchantId");
        Checks.atLeast(tokenVersion, 1, "tokenVersion");
    }

    @Override
    public String aggregateId() {
        return grantId;
    }
}
