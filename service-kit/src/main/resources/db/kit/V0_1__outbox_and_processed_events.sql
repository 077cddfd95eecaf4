-- Shared tables of service-kit, present in every service's own database.
-- Kit migrations are versioned 0.x so they always run before a service's own V1, V2, ...

create table outbox_event (
    id              bigserial primary key,
    event_id        uuid        not null unique,
    event_type      varchar(100) not null,
    schema_version  int         not null,
    tenant_id       varchar(100) not null,
    aggregate_id    varchar(200) not null,
    topic           varchar(200) not null,
    envelope        text        not null,
    correlation_id  varchar(100),
    created_at      timestamptz not null default now(),
    sent_at         timestamptz
);
-- the relay reads only the unsent rows, in id order
create index outbox_event_unsent on outbox_event (id) where sent_at is null;

create table processed_event (
    consumer      varchar(100) not null,
    event_id      uuid         not null,
    processed_at  timestamptz  not null default now(),
    primary key (consumer, event_id)
);
