-- The sandbox platform's own RSA-2048 key pair: it signs every gateway response (the SDK's alipayPublicKey).
-- One row; made on first start unless configured.
create table platform_key (
    id               int          primary key check (id = 1),
    private_key      bytea        not null,  -- PKCS#8 DER
    public_key       bytea        not null,  -- X.509 SubjectPublicKeyInfo DER
    created_at       timestamptz  not null
);

-- ISV apps registered with the sandbox, each with its public key and its token lifetimes in seconds.
create table sandbox_app (
    app_id                    varchar(32)  primary key,
    public_key                bytea        not null,  -- X.509 SubjectPublicKeyInfo DER
    access_lifetime_seconds   bigint       not null,  -- expires_in
    refresh_lifetime_seconds  bigint       not null,  -- re_expires_in
    refresh_grace_seconds     bigint       not null,  -- how long a refresh token stays usable after it was used
    omit_expiry               boolean      not null,  -- answer without expires_in / re_expires_in
    created_at                timestamptz  not null,
    updated_at                timestamptz  not null
);

-- One-time app_auth_codes from merchant consent. Codes and tokens are kept only as SHA-256 hex.
create table auth_code (
    code_hash         char(64)     primary key,
    app_id            varchar(32)  not null references sandbox_app (app_id),
    user_id           varchar(32)  not null,
    auth_app_id       varchar(32)  not null,
    issued_at         timestamptz  not null,
    expires_at        timestamptz  not null,
    used_at           timestamptz
);

-- A grant is one exchanged code: the root of a refresh-token lineage.
create table app_grant (
    id                bigserial    primary key,
    app_id            varchar(32)  not null references sandbox_app (app_id),
    user_id           varchar(32)  not null,
    auth_app_id       varchar(32)  not null,
    created_at        timestamptz  not null,
    refresh_count     bigint       not null default 0
);
create index app_grant_by_app on app_grant (app_id, user_id);

-- Every token pair issued; generation 0 comes from the code, generation n+1 from refreshing a generation-n token.
create table app_token (
    id                    bigserial    primary key,
    grant_id              bigint       not null references app_grant (id),
    generation            int          not null,
    parent_id             bigint       references app_token (id),
    access_token_hash     char(64)     not null unique,
    refresh_token_hash    char(64)     not null unique,
    issued_at             timestamptz  not null,
    access_expires_at     timestamptz  not null,
    refresh_expires_at    timestamptz  not null,
    first_used_at         timestamptz,           -- first refresh with this token
    usable_until          timestamptz,           -- after first use: the end of its grace
    times_refreshed       int          not null default 0
);
create index app_token_by_grant on app_token (grant_id, generation);

-- Error scenarios on demand: per app (app_id) or for every app (null); for a number of calls, a while, or until removed.
create table scenario (
    id                bigserial    primary key,
    kind              varchar(32)  not null,
    app_id            varchar(32),
    remaining         int,
    active_until      timestamptz,
    delay_millis      bigint,
    http_status       int,
    created_at        timestamptz  not null,
    applied           int          not null default 0
);

-- Every call that reached a token endpoint, for request-rate figures.
create table gateway_call (
    id                bigserial    primary key,
    at                timestamptz  not null,
    app_id            varchar(32),
    operation         varchar(24)  not null,   -- authorization_code, refresh_token, query, unknown
    outcome           varchar(48)  not null    -- SUCCESS, a sub_code, or SCENARIO_<kind>
);
create index gateway_call_by_time on gateway_call (at);
