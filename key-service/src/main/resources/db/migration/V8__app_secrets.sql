-- Symmetric secrets of an app, one per tenant, provider, app, environment and type: AES is the content encryption
-- key a provider gives the app (Alipay's encrypt_key), HMAC_SHA256 the secret that signs the suite's own
-- keyfleet-hmac messages (outbound callbacks). Versions rotate like app keys; the secret itself is only in the
-- secret store under secret_ref, never in these tables.
create table app_secret (
    id                   uuid         primary key,
    tenant_id            varchar(64)  not null references tenant (id),
    provider             varchar(40)  not null,
    app_id               varchar(64)  not null,
    environment          varchar(16)  not null,
    type                 varchar(16)  not null,
    current_version      int          not null,
    grace_period_seconds bigint       not null,
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null,
    constraint app_secret_scope unique (tenant_id, provider, app_id, environment, type)
);

create table app_secret_version (
    secret_id    uuid         not null references app_secret (id),
    version      int          not null,
    state        varchar(16)  not null,
    origin       varchar(16)  not null,
    key_bits     int          not null,
    secret_ref   varchar(300),
    created_at   timestamptz  not null,
    valid_until  timestamptz,
    retired_at   timestamptz,
    primary key (secret_id, version)
);
create unique index app_secret_version_one_current on app_secret_version (secret_id) where state = 'CURRENT';
