package io.keyfleet.kit.auth;

import io.keyfleet.keys.api.Verification;

import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.VerificationCode;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    static final String RACING_KEY = "kf_test_racing";
    static final UUID RACING_CREDENTIAL = UUID.fromString("00000000-0000-0000-0000-00000000000d");

    private record Known(UUID id, String tenant, List<String> scopes, String onlyFrom, boolean revoked) {
    }

    private static final Map<String, Known> KNOWN = Map.of(
            TENANT_KEY, new Known(TENANT_CREDENTIAL, "acme", List.of(Scopes.KEYS_READ), null, false),
            SYSTEM_KEY, new Known(SYSTEM_CREDENTIAL, "keyfleet", List.of(Scopes.KEYS_READ, Scopes.TENANTS_ADMIN), null, false),
            OFFICE_ONLY_KEY, new Known(UUID.randomUUID(), "acme", List.of(Scopes.KEYS_READ), "203.0.113.9", false),
            REVOKED_KEY, new Known(REVOKED_CREDENTIAL, "acme", List.of(Scopes.KEYS_READ), null, true),
            RACING_KEY, new Known(RACING_CREDENTIAL, "acme", List.of(Scopes.KEYS_READ), null, false));

    final AtomicInteger calls = new AtomicInteger();
    final ConcurrentLinkedQueue<PresentedCredential> presented = new ConcurrentLinkedQueue<>();
    /** Credentials a test revoked since it began. */
    final Set<UUID> revokedByTest = ConcurrentHashMap.newKeySet();
    /** When set, an answer for RACING_KEY is made, then held (as if still on its way back) until {@code release} opens. */
    private volatile CountDownLatch answered;
    private volatile CountDownLatch release;

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
        Verification answer = answer(known, credential);
        if (RACING_KEY.equals(credential.apiKey()) && answered != null) {
            answered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the held answer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return answer;
    }

    private Verification answer(Known known, PresentedCredential credential) {
        if (known.revoked() || revokedByTest.contains(known.id())) {
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

    /** The next answers for RACING_KEY are held after being made: {@code answered} opens, then they wait for {@code release}. */
    void holdAnswers(CountDownLatch answered, CountDownLatch release) {
        this.release = release;
        this.answered = answered;
    }

    void reset(VerificationCache cache) {
        answered = null;
        release = null;
        revokedByTest.clear();
        for (Known known : KNOWN.values()) {
            cache.evict(known.id());
        }
        calls.set(0);
        presented.clear();
    }
}
