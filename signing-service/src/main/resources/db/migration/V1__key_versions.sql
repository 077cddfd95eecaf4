-- Public material and state of every app key version signing-service has heard of, from key events.
create table key_version (
    key_id        varchar(64)  not null,
    version       int          not null,
    tenant_id     varchar(64)  not null,
    provider      varchar(40)  not null,
    app_id        varchar(64)  not null,
    environment   varchar(16)  not null,
    algorithm     varchar(16)  not null,
    fingerprint   char(64)     not null,
    public_key    text         not null,
    state         varchar(16)  not null,
    valid_until   timestamptz,
    updated_at    timestamptz  not null,
    primary key (key_id, version)
);
create index key_version_by_tenant on key_version (tenant_id, key_id);
