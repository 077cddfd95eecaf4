-- Provider public keys signing-service has heard of, from ProviderKeyUpdated: they verify provider messages.
create table provider_key_version (
    provider_key_id varchar(64)  not null,
    version         int          not null,
    tenant_id       varchar(64)  not null,
    provider        varchar(40)  not null,
    environment     varchar(16)  not null,
    fingerprint     char(64)     not null,
    public_key      text         not null,
    state           varchar(16)  not null,
    valid_until     timestamptz,
    updated_at      timestamptz  not null,
    primary key (provider_key_id, version)
);
create index provider_key_version_by_ref on provider_key_version (tenant_id, provider, environment);

create index key_version_by_ref on key_version (tenant_id, provider, app_id, environment);

-- Notifications already accepted, by the provider's notification id: a second delivery is REPLAYED.
-- Rows older than keyfleet.signing.notifications.dedupe-for are deleted.
create table seen_notification (
    tenant_id       varchar(64)  not null,
    scheme          varchar(32)  not null,
    notification_id varchar(128) not null,
    seen_at         timestamptz  not null,
    primary key (tenant_id, scheme, notification_id)
);
create index seen_notification_by_time on seen_notification (seen_at);
