create table tenant (
    id          varchar(64)  primary key,
    name        varchar(200) not null,
    created_at  timestamptz  not null
);

-- One key per tenant, provider, app and environment; its versions rotate.
create table app_key (
    id                   uuid         primary key,
    tenant_id            varchar(64)  not null references tenant (id),
    provider             varchar(40)  not null,
    app_id               varchar(64)  not null,
    environment          varchar(16)  not null,
    algorithm            varchar(16)  not null,
    origin               varchar(24)  not null,
    current_version      int          not null,
    grace_period_seconds bigint       not null,
    rotate_after_days    int,
    warn_days_before     int,
    revoked_at           timestamptz,
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null,
    constraint app_key_scope unique (tenant_id, provider, app_id, environment)
);
create index app_key_by_tenant on app_key (tenant_id, provider, app_id);

-- Public material and lifecycle of each version. The private key, when Keyfleet holds one, is in the
-- secret store under secret_ref; never in this table.
create table app_key_version (
    key_id           uuid         not null references app_key (id),
    version          int          not null,
    state            varchar(16)  not null,
    algorithm        varchar(16)  not null,
    fingerprint      char(64)     not null,
    public_key       text         not null,
    secret_ref       varchar(300),
    created_at       timestamptz  not null,
    promoted_at      timestamptz,
    valid_until      timestamptz,
    retired_at       timestamptz,
    expiry_warned_at timestamptz,
    primary key (key_id, version)
);
-- exactly one CURRENT version per key, whatever the application does
create unique index app_key_version_one_current on app_key_version (key_id) where state = 'CURRENT';
create index app_key_version_fingerprint on app_key_version (fingerprint);
create index app_key_version_grace on app_key_version (valid_until) where state = 'PREVIOUS';
