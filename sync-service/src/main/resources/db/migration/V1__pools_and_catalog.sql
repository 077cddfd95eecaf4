-- Upstream resource pools. The API secret is not here: it lives in key-service's secret backend under
-- tenants/<tenant>/pools/<id>, version secret_version.
create table pool (
    id                     uuid           primary key,
    tenant_id              varchar(63)    not null,
    provider_name          varchar(100)   not null,
    pool_type              varchar(40)    not null,
    member_id              varchar(64)    not null,
    api_base_url           varchar(500)   not null,
    authorized_ips         varchar(1000),
    price_protection       boolean        not null,
    exchange_rate          numeric(18, 8) not null,
    remark                 varchar(500),
    secret_version         int            not null,
    custom_selection       boolean        not null default false,
    sync_interval_minutes  int,
    last_scheduled_at      timestamptz,
    health                 varchar(32)    not null,
    health_message         varchar(500),
    checked_at             timestamptz,
    created_at             timestamptz    not null,
    updated_at             timestamptz    not null,
    deleted_at             timestamptz
);
create index pool_tenant on pool (tenant_id) where deleted_at is null;

-- The synced catalog: one row per upstream item; content_hash decides whether a re-sync writes anything.
create table catalog_item (
    pool_id        uuid           not null references pool (id),
    resource_type  varchar(40)    not null,
    item_id        varchar(100)   not null,
    name           varchar(300)   not null,
    zone_id        varchar(100),
    spec           varchar(300),
    cost           numeric(18, 4) not null,
    currency       varchar(3)     not null,
    price          numeric(18, 4) not null,
    selling_price  numeric(18, 4),
    price_flagged  boolean        not null default false,
    selected       boolean        not null,
    removed        boolean        not null default false,
    content_hash   varchar(64)    not null,
    synced_at      timestamptz    not null,
    primary key (pool_id, resource_type, item_id)
);

-- Last sync per pool and item (resource type).
create table item_sync (
    pool_id          uuid         not null references pool (id),
    resource_type    varchar(40)  not null,
    status           varchar(16)  not null,
    last_synced_at   timestamptz,
    last_job_id      uuid,
    reason           varchar(1000),
    primary key (pool_id, resource_type)
);

create table sync_job (
    id                uuid          primary key,
    tenant_id         varchar(63)   not null,
    pool_id           uuid          not null references pool (id),
    selected_only     boolean       not null,
    status            varchar(16)   not null,
    reason            varchar(2000),
    cancel_requested  boolean       not null default false,
    created_at        timestamptz   not null,
    started_at        timestamptz,
    finished_at       timestamptz
);

-- One row per item of a job, with its progress. The partial unique index is the rule "one running job per pool and item".
create table sync_job_item (
    job_id         uuid          not null references sync_job (id),
    pool_id        uuid          not null,
    resource_type  varchar(40)   not null,
    position       int           not null,
    status         varchar(16)   not null,
    seen           int           not null default 0,
    created        int           not null default 0,
    updated        int           not null default 0,
    removed        int           not null default 0,
    reason         varchar(1000),
    primary key (job_id, resource_type)
);
create unique index sync_job_item_one_active on sync_job_item (pool_id, resource_type) where status in ('QUEUED', 'RUNNING');
