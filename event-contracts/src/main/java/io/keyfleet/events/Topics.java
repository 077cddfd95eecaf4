package io.keyfleet.events;

import java.util.List;

/** Kafka topic names. The record key is always the envelope's aggregate id. */
public final class Topics {

    public static final String KEYS = "keyfleet.keys.v1";
    public static final String TOKENS = "keyfleet.tokens.v1";
    public static final String CREDENTIALS = "keyfleet.credentials.v1";
    public static final String POOLS = "keyfleet.pools.v1";

    private Topics() {
    }

    public static List<String> all() {
        return List.of(KEYS, TOKENS, CREDENTIALS, POOLS);
    }
}
