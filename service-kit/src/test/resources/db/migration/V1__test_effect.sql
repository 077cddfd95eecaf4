-- the effect of the test consumer: one row per applied event, in the order they were applied
create table test_effect (
    id            bigserial primary key,
    event_id      uuid        not null,
    aggregate_id  varchar(200) not null,
    version       int         not null,
    applied_at    timestamptz not null default now()
);
