package io.keyfleet.signing.keycache;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.kit.inbox.EventInbox;
import io.keyfleet.signing.keycache.KeyEventCheck.Checked;
import io.keyfleet.signing.keycache.KeyEventCheck.KeyState;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.keys.api.KeyMaterialApi.KeySummary;
import io.keyfleet.keys.api.ProviderKeyApi.ProviderKeyView;
import io.keyfleet.keys.api.ProviderKeyApi.ProviderKeyVersionView;
import io.keyfleet.keys.api.KeyVersionView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the key-version tables (app keys and provider keys) in step with key-service: each key event is handled
 * exactly once, by one replica. An event only names the key that changed: the key's state is read from key-service
 * ({@link KeyEventCheck}) and written as key-service answers, never from the event; an event that disagrees with
 * key-service is refused ({@code keyfleet_signing_key_events_refused_total}). When key-service cannot be asked, the key
 * is marked stale ({@link StaleKey}) and read again every {@code keyfleet.signing.key-cache-refresh} until it answers.
 * The in-memory cache of every replica follows the same events in {@link KeyCacheEvents}.
 */
@ApplicationScoped
public class KeyEventsConsumer {

    static final String CONSUMER = "signing-key-versions";
    private static final Logger LOG = Logger.getLogger(KeyEventsConsumer.class);

    @Inject
    EventInbox inbox;

    @Inject
    KeyEventCheck check;

    @Inject
    KeyCache cache;

    @Inject
    MeterRegistry registry;

    @Incoming("key-events")
    @Blocking(ordered = true)
    public void onKeyEvents(List<String> batch) {
        inbox.applyAll(CONSUMER, batch, this::applyEffect);
    }

    void applyEffect(EventEnvelope envelope) {
        if (!KeyEventCheck.KEY_EVENTS.contains(envelope.type())) {
            LOG.debugf("Ignoring %s: not relevant for signing", envelope.type());
            return;
        }
        if (envelope.type().equals("KeyRevoked") && KnownProviderKeyVersion.count("providerKeyId", envelope.aggregateId()) > 0) {
            LOG.debugf("Ignoring KeyRevoked of provider key %s: the end of its grace is its version's validUntil", envelope.aggregateId());
            return;
        }
        Checked checked = check.check(envelope);
        switch (checked.verdict()) {
            case CONFIRMED -> write(checked.key());
            case REFUSED -> {
                registry.counter("keyfleet.signing.key.events.refused", "type", envelope.type()).increment();
                LOG.warnf("Refused %s %s of tenant %s for key %s: %s. Nothing of it was applied.", envelope.type(), envelope.eventId(),
                        envelope.tenantId(), envelope.aggregateId(), checked.reason());
            }
            case UNCONFIRMED -> {
                if (envelope.type().equals("ProviderKeyUpdated")) {
                    ProviderKeyUpdated event = EventCodec.payload(envelope, ProviderKeyUpdated.class);
                    StaleKey.mark(StaleKey.PROVIDER, envelope.tenantId(), event.providerKeyId(), event.provider(), event.environment());
                } else {
                    StaleKey.mark(StaleKey.APP, envelope.tenantId(), envelope.aggregateId(), null, null);
                }
                LOG.warnf("%s %s for key %s could not be checked with key-service (%s); nothing of it was applied, the key is read"
                        + " from key-service once it answers", envelope.type(), envelope.eventId(), envelope.aggregateId(), checked.reason());
            }
        }
    }

    /**
     * Reads the keys marked stale from key-service again and writes its answer; a key stays marked while key-service
     * cannot be asked. This replica's cache takes the answer at once, the others at their next refresh from the tables.
     */
    @Scheduled(every = "${keyfleet.signing.key-cache-refresh}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rereadStaleKeys() {
        List<StaleKey> stale = QuarkusTransaction.requiringNew().call(() -> StaleKey.<StaleKey>listAll());
        for (StaleKey key : stale) {
            Optional<KeyState> answer;
            try {
                answer = check.current(key);
            } catch (ClientFailure e) {
                LOG.debugf("Key %s stays stale: %s", key.keyId, e.getMessage());
                return;
            }
            QuarkusTransaction.requiringNew().run(() -> {
                answer.ifPresent(KeyEventsConsumer::write);
                StaleKey.deleteById(key.keyId);
            });
            answer.ifPresent(cache::apply);
            LOG.infof("Stale key %s read again from key-service%s", key.keyId, answer.isPresent() ? "" : ": it has no such key");
        }
    }

    /** Writes key-service's answer: every version it announced, as it holds it. */
    private static void write(KeyState state) {
        if (state.appKey() != null) {
            state.appKey().announced().forEach(v -> upsert(state.tenantId(), state.appKey(), v));
        } else {
            state.providerKey().versions().forEach(v -> upsert(state.tenantId(), state.providerKey(), v));
        }
    }

    private static void upsert(String tenantId, KeySummary key, KeyVersionView from) {
        KnownKeyVersion version = KnownKeyVersion.findById(new KnownKeyVersion.VersionId(key.keyId().toString(), from.version()));
        if (version == null) {
            version = new KnownKeyVersion();
            version.keyId = key.keyId().toString();
            version.version = from.version();
        }
        version.tenantId = tenantId;
        version.provider = key.provider();
        version.appId = key.appId();
        version.environment = key.environment().name();
        version.algorithm = from.algorithm();
        version.fingerprint = from.fingerprint();
        version.publicKey = from.publicKey();
        version.state = KnownKeyVersion.stateOf(from.state().name());
        version.validUntil = from.validUntil();
        version.updatedAt = Instant.now();
        version.persist();
    }

    private static void upsert(String tenantId, ProviderKeyView key, ProviderKeyVersionView from) {
        KnownProviderKeyVersion version = KnownProviderKeyVersion.findById(new KnownProviderKeyVersion.VersionId(key.id().toString(), from.version()));
        if (version == null) {
            version = new KnownProviderKeyVersion();
            version.providerKeyId = key.id().toString();
            version.version = from.version();
        }
        version.tenantId = tenantId;
        version.provider = key.provider();
        version.environment = key.environment().name();
        version.fingerprint = from.fingerprint();
        version.publicKey = from.publicKey();
        version.state = KnownKeyVersion.stateOf(from.state().name());
        version.validUntil = from.validUntil();
        version.updatedAt = Instant.now();
        version.persist();
    }
}
