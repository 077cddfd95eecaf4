package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** An API credential was issued. @param kind API_KEY or SECRET_PAIR */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CredentialCreated(String credentialId, String kind, List<String> scopes) implements DomainEvent {

    public CredentialCreated {
        Checks.text(credentialId, "credentialId");
        Checks.text(kind, "kind");
        scopes = List.copyOf(Checks.present(scopes, "scopes"));
    }

    @Override
    public String aggregateId() {
        return credentialId;
    }
}
