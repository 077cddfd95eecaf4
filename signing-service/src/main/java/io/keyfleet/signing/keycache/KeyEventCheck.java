package io.keyfleet.signing.keycache;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.MalformedEventException;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.keys.api.KeyMaterialApi.KeySummary;
import io.keyfleet.keys.api.ProviderKeyApi.ProviderKeyView;
import io.keyfleet.keys.api.KeyVersionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A key event is a hint, never the truth: the broker has no authentication, so anyone who reaches it can publish a
 * well-formed event. This asks key-service (with this service's own credential) for the state of the key an event
 * names, and says whether the event agrees with it. Only key-service's answer is ever applied, to the tables
 * ({@link KeyEventsConsumer}) and to the cache ({@link KeyCacheEvents}); an event that disagrees is refused.
 */
@ApplicationScoped
public class KeyEventCheck {

    public static final Set<String> KEY_EVENTS = Set.of("KeyCreated", "KeyRotated", "KeyRevoked", "ProviderKeyUpdated");

    // key-service's own rules for tenant ids, provider names and environments
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Set<String> ENVIRONMENTS = Set.of("SANDBOX", "PRODUCTION");

    /** key-service's answer on one key of a tenant: an app key, or a provider key. */
    public record KeyState(String tenantId, KeySummary appKey, ProviderKeyView providerKey) {
        KeyCache.ProviderKeyRef providerRef() {
            return new KeyCache.ProviderKeyRef(tenantId, providerKey.provider(), providerKey.environment().name());
        }
    }

    public enum Verdict {
        /** key-service holds what the event says: apply key-service's answer. */
        CONFIRMED,
        /** key-service holds something else, or nothing: apply nothing. */
        REFUSED,
        /** key-service could not be asked: apply nothing now, ask again later. */
        UNCONFIRMED
    }

    /** The verdict on one event, with key-service's answer when it is CONFIRMED. */
    public record Checked(Verdict verdict, String reason, KeyState key) {
        static Checked confirmed(KeyState key) {
            return new Checked(Verdict.CONFIRMED, null, key);
        }

        static Checked refused(String reason) {
            return new Checked(Verdict.REFUSED, reason, null);
        }

        static Checked unconfirmed(String reason) {
            return new Checked(Verdict.UNCONFIRMED, reason, null);
        }
    }

    @Inject
    KeyService keyService;

    /** @param envelope one of {@link #KEY_EVENTS} */
    public Checked check(EventEnvelope envelope) {
        String tenantId = envelope.tenantId();
        try {
            return switch (envelope.type()) {
                case "KeyCreated" -> {
                    KeyCreated event = EventCodec.payload(envelope, KeyCreated.class);
                    yield ifWellFormed(tenantId, event.keyId(), event.provider(), event.environment(), () -> appKey(tenantId, event.keyId(),
                            key -> sameApp(key, event.provider(), event.appId(), event.environment())
                                    .or(() -> sameVersion(key, event.version(), event.fingerprint(), event.publicKey()))));
                }
                case "KeyRotated" -> {
                    KeyRotated event = EventCodec.payload(envelope, KeyRotated.class);
                    yield ifWellFormed(tenantId, event.keyId(), event.provider(), event.environment(), () -> appKey(tenantId, event.keyId(),
                            key -> sameApp(key, event.provider(), event.appId(), event.environment())
                                    .or(() -> sameVersion(key, event.newVersion(), event.fingerprint(), event.publicKey()))
                                    .or(() -> version(key, event.previousVersion()).isPresent() ? Optional.empty()
                                            : Optional.of("key-service has no version " + event.previousVersion()))));
                }
                case "KeyRevoked" -> {
                    KeyRevoked event = EventCodec.payload(envelope, KeyRevoked.class);
                    yield ifWellFormed(tenantId, event.keyId(), null, null, () -> appKey(tenantId, event.keyId(), key -> revoked(key, event)));
                }
                case "ProviderKeyUpdated" -> {
                    ProviderKeyUpdated event = EventCodec.payload(envelope, ProviderKeyUpdated.class);
                    yield ifWellFormed(tenantId, event.providerKeyId(), event.provider(), event.environment(), () -> providerKey(tenantId, event));
                }
                default -> throw new IllegalArgumentException("not a key event: " + envelope.type());
            };
        } catch (MalformedEventException e) {
            // thrown on, it would fail the inbox's batch and stop the tables' consumer: anyone can publish such an event
            return Checked.refused("its payload is unreadable: " + e.getMessage());
        } catch (ClientFailure e) {
            return Checked.unconfirmed(e.getMessage());
        }
    }

    /** key-service's answer on a key marked stale; empty when it has no such key. Throws ClientFailure. */
    public Optional<KeyState> current(StaleKey stale) {
        return stale.kind.equals(StaleKey.PROVIDER) ? providerKey(stale.tenantId, stale.keyId, stale.provider, stale.environment)
                : appKey(stale.tenantId, stale.keyId);
    }

    /** key-service's answer on an app key, empty when it has no such key of this tenant. */
    private Optional<KeyState> appKey(String tenantId, String keyId) {
        return keyService.key(keyId).filter(key -> key.tenantId().equals(tenantId)).map(key -> new KeyState(tenantId, key, null));
    }

    /** key-service's answer on a provider key, empty when it has no such key of this tenant. */
    private Optional<KeyState> providerKey(String tenantId, String providerKeyId, String provider, String environment) {
        return keyService.providerKeys(tenantId, provider, environment).stream().filter(key -> key.id().toString().equals(providerKeyId))
                .findFirst().map(key -> new KeyState(tenantId, null, key));
    }

    /**
     * Refuses, without asking key-service, an event naming what key-service never has: a key id that is not a UUID, a
     * tenant or provider name key-service would not accept, an unknown environment.
     */
    private static Checked ifWellFormed(String tenantId, String keyId, String provider, String environment, Supplier<Checked> check) {
        boolean wellFormed = TENANT.matcher(tenantId).matches() && isUuid(keyId)
                && (provider == null || PROVIDER.matcher(provider).matches())
                && (environment == null || ENVIRONMENTS.contains(environment));
        return wellFormed ? check.get() : Checked.refused("the event names no key key-service could have");
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Checked appKey(String tenantId, String keyId, Function<KeySummary, Optional<String>> disagreement) {
        return appKey(tenantId, keyId).map(state -> disagreement.apply(state.appKey()).map(Checked::refused).orElse(Checked.confirmed(state)))
                .orElse(Checked.refused("key-service has no key " + keyId + " of tenant " + tenantId));
    }

    private Checked providerKey(String tenantId, ProviderKeyUpdated event) {
        return providerKey(tenantId, event.providerKeyId(), event.provider(), event.environment())
                .map(state -> state.providerKey().versions().stream().filter(v -> v.version() == event.version()).findFirst()
                        .map(v -> samePublicKey(event.version(), v.fingerprint(), v.publicKey(), event.fingerprint(), event.publicKey()))
                        .orElse(Optional.of("key-service has no version " + event.version()))
                        .map(Checked::refused).orElse(Checked.confirmed(state)))
                .orElse(Checked.refused("key-service has no " + event.environment() + " provider key " + event.providerKeyId()
                        + " of " + event.provider() + " for tenant " + tenantId));
    }

    private static Optional<String> sameApp(KeySummary key, String provider, String appId, String environment) {
        return key.provider().equals(provider) && key.appId().equals(appId) && key.environment().equals(environment) ? Optional.empty()
                : Optional.of("key-service's key belongs to another app or environment");
    }

    private static Optional<String> sameVersion(KeySummary key, int number, String fingerprint, String publicKey) {
        return version(key, number).map(v -> samePublicKey(number, v.fingerprint(), v.publicKey(), fingerprint, publicKey))
                .orElse(Optional.of("key-service has no version " + number));
    }

    private static Optional<String> samePublicKey(int number, String trueFingerprint, String truePublicKey, String fingerprint, String publicKey) {
        return trueFingerprint.equals(fingerprint) && truePublicKey.equals(publicKey) ? Optional.empty()
                : Optional.of("version " + number + "'s public key is not key-service's");
    }

    /** A revocation key-service made: the whole key, or the one version, is RETIRED there. */
    private static Optional<String> revoked(KeySummary key, KeyRevoked event) {
        boolean retired = event.allVersions() ? key.versions().stream().allMatch(v -> "RETIRED".equals(v.state().name()))
                : version(key, event.version()).map(v -> "RETIRED".equals(v.state().name())).orElse(false);
        return retired ? Optional.empty() : Optional.of("key-service has not revoked " + (event.allVersions() ? "the key"
                : "version " + event.version()));
    }

    private static Optional<KeyVersionView> version(KeySummary key, int number) {
        return key.versions().stream().filter(v -> v.version() == number).findFirst();
    }
}
