-- API credentials per tenant: bearer API keys and SecretId/SecretKey pairs for signed requests.
-- No secret is ever stored here in clear: an API key only as its SHA-256 hash (plus a short display prefix),
-- a SecretKey only in the secret store under secret_ref.
create table api_credential (
    id                   uuid          primary key,
    tenant_id            varchar(64)   not null references tenant (id),
    kind                 varchar(16)   not null,
    live                 boolean       not null,
    secret_id            varchar(64)   unique,
    scopes               varchar(500)  not null,
    ip_whitelist         varchar(1000),
    expires_at           timestamptz,
    callback_url         varchar(2000),
    remark               varchar(500),
    enabled              boolean       not null,
    current_version      int           not null,
    grace_period_seconds bigint        not null,
    revoked_at           timestamptz,
    revoke_reason        varchar(200),
    created_at           timestamptz   not null,
    updated_at           timestamptz   not null
);
create index api_credential_by_tenant on api_credential (tenant_id, created_at);

-- One row per secret version. valid_until is null for the current version and the grace end for replaced ones.
create table api_credential_secret (
    id             uuid          primary key,
    credential_id  uuid          not null references api_credential (id),
    version        int           not null,
    key_hash       char(64),
    key_prefix     varchar(24),
    secret_ref     varchar(300),
    created_at     timestamptz   not null,
    valid_until    timestamptz,
    constraint api_credential_secret_version unique (credential_id, version)
);
create unique index api_credential_secret_hash on api_credential_secret (key_hash) where key_hash is not null;
create index api_credential_secret_grace on api_credential_secret (valid_until) where secret_ref is not null;

-- Nonces of signed requests, remembered for the signature window: the primary key makes a replay fail.
create table api_credential_nonce (
    credential_id  uuid          not null,
    nonce          varchar(64)   not null,
    seen_at        timestamptz   not null,
    primary key (credential_id, nonce)
);
create index api_credential_nonce_seen on api_credential_nonce (seen_at);
