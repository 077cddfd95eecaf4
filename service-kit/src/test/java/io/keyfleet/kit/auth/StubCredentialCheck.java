package io.keyfleet.kit.auth;

import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.VerificationCode;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for key-service, which service-kit's own tests cannot reach: a few fixed API keys with known scopes.
 * A singleton (no client proxy), so tests read its counters directly. It applies scopes and the source address the way key-service does, and records what it was asked.
 */
@Alternative
@Priority(1)
@Singleton
public class StubCredentialCheck implements CredentialCheck {

    static final String TENANT_KEY = "kf_test_tenant";
    static final String SYSTEM_KEY = "kf_test_system";
    static final String OFFICE_ONLY_KEY = "kf_test_office";
    static final UUID TENANT_CREDENTIAL = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID SYSTEM_CREDENTIAL = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    static final String REVOKED_KEY = "kf_test_revoked";
    static final UUID REVOKED_CREDENTIAL = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    private record Known(UUID id, String tenant, List<String> scopes, String onlyFrom, boolean revoked) {
    }

    private static final Map<String, Known> KNOWN = Map.of(
            TENANT_KEY, new Known(TENANT_CREDENTIAL, "acme", List.of(Scopes.KEYS_READ), null, false),
            SYSTEM_KEY, new Known(SYSTEM_CREDENTIAL, "keyfleet", List.of(Scopes.KEYS_READ, Scopes.TENANTS_ADMIN), null, false),
            OFFICE_ONLY_KEY, new Known(UUID.randomUUID(), "acme", List.of(Scopes.KEYS_READ), "203.0.113.9", false),
            REVOKED_KEY, new Known(REVOKED_CREDENTIAL, "acme", List.of(Scopes.KEYS_READ), null, true));

    final AtomicInteger calls = new AtomicInteger();
    final ConcurrentLinkedQueue<PresentedCredential> presented = new ConcurrentLinkedQueue<>();

    @Override
    public Verification verify(PresentedCredential credential) {
        calls.incrementAndGet();
        presented.add(credential);
        if (!credential.hasApiKey() && !credential.hasSignature()) {
            return Verification.refused(VerificationCode.MISSING, "No credential was presented.");
        }
        Known known = credential.hasApiKey() ? KNOWN.get(credential.apiKey()) : null;
        if (known == null) {
            return Verification.refused(VerificationCode.NOT_FOUND, "Unknown credential.");
        }
        if (known.revoked()) {
            return Verification.refused(VerificationCode.REVOKED, "Revoked.");
        }
        if (known.onlyFrom() != null && !known.onlyFrom().equals(credential.sourceIp())) {
            return Verification.refused(VerificationCode.FORBIDDEN_IP, "Not from " + credential.sourceIp() + ".");
        }
        if (!Scopes.covers(known.scopes(), credential.requiredScope())) {
            return Verification.refused(VerificationCode.INSUFFICIENT_SCOPE, "Lacks " + credential.requiredScope() + ".");
        }
        return new Verification(true, VerificationCode.VALID, "valid", known.id(), known.tenant(), known.scopes(),
                Instant.now().plusSeconds(3600));
    }

    void evictAllForTests(VerificationCache cache) {
        for (Known known : KNOWN.values()) {
            cache.evict(known.id());
        }
    }
}
