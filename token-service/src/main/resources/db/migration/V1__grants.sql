-- One grant per tenant, provider, app, environment and merchant; tokens only encrypted (AES-256-GCM).
create table token_grant (
    id                      varchar(40)  primary key,
    tenant_id               varchar(64)  not null,
    provider                varchar(40)  not null,
    app_id                  varchar(64)  not null,
    environment             varchar(16)  not null,
    merchant_id             varchar(64)  not null,
    auth_app_id             varchar(64),
    status                  varchar(32)  not null,
    code_hash               char(64),
    access_token_enc        bytea,
    refresh_token_enc       bytea,
    access_expires_at       timestamptz,
    refresh_expires_at      timestamptz,
    previous_refresh_enc    bytea,
    generation              int          not null,
    next_refresh_at         timestamptz,
    lease_owner             varchar(64),
    lease_until             timestamptz,
    failed_attempts         int          not null default 0,
    failing_since           timestamptz,
    last_error              varchar(300),
    created_at              timestamptz  not null,
    updated_at              timestamptz  not null,
    constraint token_grant_one_per_merchant unique (tenant_id, provider, app_id, environment, merchant_id)
);
-- the scheduler's look for due grants
create index token_grant_due on token_grant (next_refresh_at) where status = 'ACTIVE';
create index token_grant_by_tenant on token_grant (tenant_id, id);

-- Every authorization code ever presented (as SHA-256): a code is exchanged at most once.
create table exchanged_code (
    code_hash    char(64)     primary key,
    tenant_id    varchar(64)  not null,
    grant_id     varchar(40),
    exchanged_at timestamptz  not null,
    replayed_at  timestamptz
);
