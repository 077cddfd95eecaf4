-- The business change each benchmark transaction makes: a key gets a new version.
create table bench_key_version (
    id           bigserial primary key,
    key_id       varchar(200) not null,
    version      int          not null,
    fingerprint  varchar(64)  not null,
    created_at   timestamptz  not null default now(),
    unique (key_id, version)
);

-- The consumer's effect: one row per applied event, in the order applied (no unique key, so a duplicate would show).
create table bench_effect (
    id           bigserial primary key,
    event_id     uuid         not null,
    key_id       varchar(200) not null,
    version      int          not null,
    applied_at   timestamptz  not null default now()
);
create index bench_effect_key on bench_effect (key_id, id);
