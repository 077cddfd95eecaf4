create table tenant (
    id          varchar(64)  primary key,
    name        varchar(200) not null,
    created_at  timestamptz  not null
);

-- one key per tenant, provider, app and environment; its versions rotate
create table app_key (
    id              uuid         primary key,
    tenant_id       varchar(64)  not null references tenant (id),
    provider        varchar(40)  not null,
    app_id          varchar(64)  not null,
    environment     varchar(16)  not null,
    algorithm       varchar(16)  not null,
    current_version int          not null,
    grace_period_seconds bigint  not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    constraint app_key_scope unique (tenant_id, provider, app_id, environment)
);

create table app_key_version (
    key_id          uuid         not null references app_key (id),
    version         int          not null,
    state           varchar(16)  not null,
    fingerprint     char(64)     not null,
    public_key      text         not null,
    created_at      timestamptz  not null,
    valid_until     timestamptz,
    primary key (key_id, version)
);
