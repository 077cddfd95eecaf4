-- Keys a key event named while key-service could not be asked: nothing of the event was applied, and the key is read
-- again from key-service until it answers (KeyEventsConsumer.rereadStaleKeys).
create table stale_key (
    key_id       varchar(64)  not null primary key,
    tenant_id    varchar(64)  not null,
    kind         varchar(16)  not null, -- APP or PROVIDER
    provider     varchar(40),           -- a provider key is found at key-service by provider and environment
    environment  varchar(16),
    since        timestamptz  not null
);
