package io.keyfleet.signing.keycache;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.kit.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the key-version tables (app keys and provider keys) in step with key-service: each key event is applied
 * exactly once, by one replica. The in-memory cache of every replica follows the same events in {@link KeyCacheEvents}.
 */
@ApplicationScoped
public class KeyEventsConsumer {

    static final String CONSUMER = "signing-key-versions";
    private static final Logger LOG = Logger.getLogger(KeyEventsConsumer.class);

    @Inject
    EventInbox inbox;

    @Incoming("key-events")
    @Blocking(ordered = true)
    public void onKeyEvents(List<String> batch) {
        inbox.applyAll(CONSUMER, batch, this::applyEffect);
    }

    void applyEffect(EventEnvelope envelope) {
        switch (envelope.type()) {
            case "KeyCreated" -> created(envelope.tenantId(), EventCodec.payload(envelope, KeyCreated.class));
            case "KeyRotated" -> rotated(envelope.tenantId(), EventCodec.payload(envelope, KeyRotated.class));
            case "KeyRevoked" -> revoked(envelope.tenantId(), EventCodec.payload(envelope, KeyRevoked.class));
            case "ProviderKeyUpdated" -> providerKeyUpdated(envelope.tenantId(), EventCodec.payload(envelope, ProviderKeyUpdated.class));
            default -> LOG.debugf("Ignoring %s: not relevant for signing", envelope.type());
        }
    }

    private void created(String tenantId, KeyCreated event) {
        upsert(tenantId, event.keyId(), event.version(), event.provider(), event.appId(), event.environment(),
                event.algorithm(), event.fingerprint(), event.publicKey(), KnownKeyVersion.CURRENT, null);
    }

    private void rotated(String tenantId, KeyRotated event) {
        KnownKeyVersion previous = KnownKeyVersion.findById(new KnownKeyVersion.VersionId(event.keyId(), event.previousVersion()));
        if (previous != null) {
            previous.state = KnownKeyVersion.PREVIOUS;
            previous.validUntil = event.previousValidUntil();
            previous.updatedAt = Instant.now();
        }
        upsert(tenantId, event.keyId(), event.newVersion(), event.provider(), event.appId(), event.environment(),
                event.algorithm(), event.fingerprint(), event.publicKey(), KnownKeyVersion.CURRENT, null);
    }

    private void revoked(String tenantId, KeyRevoked event) {
        String query = event.version() == 0 ? "tenantId = ?1 and keyId = ?2" : "tenantId = ?1 and keyId = ?2 and version = ?3";
        Object[] params = event.version() == 0 ? new Object[]{tenantId, event.keyId()} : new Object[]{tenantId, event.keyId(), event.version()};
        KnownKeyVersion.<KnownKeyVersion>list(query, params).forEach(version -> {
            version.state = KnownKeyVersion.REVOKED;
            version.updatedAt = Instant.now();
        });
    }

    private void providerKeyUpdated(String tenantId, ProviderKeyUpdated event) {
        if (event.previousVersion() != null) {
            KnownProviderKeyVersion previous = KnownProviderKeyVersion.findById(
                    new KnownProviderKeyVersion.VersionId(event.providerKeyId(), event.previousVersion()));
            if (previous != null) {
                previous.state = KnownKeyVersion.PREVIOUS;
                previous.validUntil = event.previousValidUntil();
                previous.updatedAt = Instant.now();
            }
        }
        KnownProviderKeyVersion version = KnownProviderKeyVersion.findById(new KnownProviderKeyVersion.VersionId(event.providerKeyId(), event.version()));
        if (version == null) {
            version = new KnownProviderKeyVersion();
            version.providerKeyId = event.providerKeyId();
            version.version = event.version();
        }
        version.tenantId = tenantId;
        version.provider = event.provider();
        version.environment = event.environment();
        version.fingerprint = event.fingerprint();
        version.publicKey = event.publicKey();
        version.state = KnownKeyVersion.CURRENT;
        version.validUntil = null;
        version.updatedAt = Instant.now();
        version.persist();
    }

    private static void upsert(String tenantId, String keyId, int number, String provider, String appId, String environment,
                               String algorithm, String fingerprint, String publicKey, String state, Instant validUntil) {
        KnownKeyVersion version = KnownKeyVersion.findById(new KnownKeyVersion.VersionId(keyId, number));
        if (version == null) {
            version = new KnownKeyVersion();
            version.keyId = keyId;
            version.version = number;
        }
        version.tenantId = tenantId;
        version.provider = provider;
        version.appId = appId;
        version.environment = environment;
        version.algorithm = algorithm;
        version.fingerprint = fingerprint;
        version.publicKey = publicKey;
        version.state = state;
        version.validUntil = validUntil;
        version.updatedAt = Instant.now();
        version.persist();
    }
}
