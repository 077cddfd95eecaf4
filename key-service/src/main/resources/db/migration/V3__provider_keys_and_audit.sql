-- The provider's own public key per tenant, provider and environment, versioned like app keys.
create table provider_key (
    id                   uuid         primary key,
    tenant_id            varchar(64)  not null references tenant (id),
    provider             varchar(40)  not null,
    environment          varchar(16)  not null,
    current_version      int          not null,
    grace_period_seconds bigint       not null,
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null,
    constraint provider_key_scope unique (tenant_id, provider, environment)
);

create table provider_key_version (
    provider_key_id uuid         not null references provider_key (id),
    version         int          not null,
    state           varchar(16)  not null,
    algorithm       varchar(16)  not null,
    fingerprint     char(64)     not null,
    public_key      text         not null,
    created_at      timestamptz  not null,
    valid_until     timestamptz,
    primary key (provider_key_id, version)
);
create unique index provider_key_version_one_current on provider_key_version (provider_key_id) where state = 'CURRENT';

-- Who did what to which key, when and from where. Identifiers are HMAC'd, never stored in clear.
create table audit_record (
    id           bigserial    primary key,
    occurred_at  timestamptz  not null,
    actor        varchar(100) not null,
    action       varchar(60)  not null,
    tenant_hmac  char(64),
    target_hmac  char(64),
    source_ip    varchar(64),
    outcome      varchar(20)  not null,
    detail       varchar(500)
);
create index audit_record_by_time on audit_record (occurred_at);
