-- Resource-pool API: one account per member id. The catalog itself is generated from (catalog_size, seed);
-- only changes made between syncs are stored, so a 100,000-item catalog costs one row.
create table pool_account (
    member_id        varchar(64)    primary key,
    api_secret       varchar(200)   not null,
    authorized_ips   varchar(1000),
    currency         varchar(3)     not null,
    balance          numeric(18, 2) not null,
    credit_limit     numeric(18, 2) not null,
    catalog_size     int            not null,
    seed             bigint         not null,
    change_cursor    int            not null default 0,
    created_at       timestamptz    not null
);

-- A changed, removed or added item of one resource type; item_index orders the pages (added items past the generated range).
create table pool_item_override (
    member_id      varchar(64)    not null references pool_account (member_id) on delete cascade,
    resource_type  varchar(40)    not null,
    item_index     int            not null,
    removed        boolean        not null,
    name           varchar(200),
    price          numeric(18, 4),
    primary key (member_id, resource_type, item_index)
);
