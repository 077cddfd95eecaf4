package io.keyfleet.events;

/**
 * Marker for every event payload record. A payload never carries private material
 * (private keys, secrets, tokens): only ids, versions, fingerprints, public keys,
 * timestamps and reasons.
 */
public interface DomainEvent {

    /** Id of the aggregate the event is about; also the Kafka record key, so events of one aggregate stay in order. */
    String aggregateId();
}
