package io.keyfleet.events;

import java.util.LinkedHashMap;
import java.util.Map;

/** Kafka header names. Type and schema version travel in headers too, so consumers can route without parsing. */
public final class EventHeaders {

    public static final String EVENT_ID = "kf-event-id";
    public static final String TYPE = "kf-event-type";
    public static final String SCHEMA_VERSION = "kf-schema-version";
    public static final String TENANT_ID = "kf-tenant-id";
    public static final String CORRELATION_ID = "kf-correlation-id";

    private EventHeaders() {
    }

    /** The headers derived from an envelope (all but {@link #CORRELATION_ID}), in a stable order. */
    public static Map<String, String> of(EventEnvelope envelope) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(EVENT_ID, envelope.eventId().toString());
        headers.put(TYPE, envelope.type());
        headers.put(SCHEMA_VERSION, Integer.toString(envelope.schemaVersion()));
        headers.put(TENANT_ID, envelope.tenantId());
        return headers;
    }
}
