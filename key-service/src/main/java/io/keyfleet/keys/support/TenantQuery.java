package io.keyfleet.keys.support;

import io.quarkus.panache.common.Parameters;

/** A Panache query scoped to one tenant, with optional equality filters: a filter given as null is left out. */
public final class TenantQuery {

    private final StringBuilder query = new StringBuilder("tenantId = :tenantId");
    private final Parameters parameters;

    private TenantQuery(String tenantId) {
        this.parameters = Parameters.with("tenantId", tenantId);
    }

    public static TenantQuery of(String tenantId) {
        return new TenantQuery(tenantId);
    }

    public TenantQuery whereEquals(String field, Object valueOrNull) {
        if (valueOrNull != null) {
            query.append(" and ").append(field).append(" = :").append(field);
            parameters.and(field, valueOrNull);
        }
        return this;
    }

    public String query() {
        return query.toString();
    }

    public Parameters parameters() {
        return parameters;
    }
}
