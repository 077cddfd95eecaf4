-- Caller authentication of the suite itself.
-- The admin credential made on first start and the services' credentials from configuration are found again by
-- their bootstrap name; the unique index makes two replicas starting at once create each only once.
alter table api_credential add column bootstrap_name varchar(64);
create unique index api_credential_bootstrap on api_credential (bootstrap_name) where bootstrap_name is not null;

-- A one-time key belongs to the tenant that applied for it; only that tenant can have it decrypt.
alter table one_time_key add column tenant_id varchar(64);

-- Credential health: the last expiry warning published (30 or 7 days ahead), so each is published once.
alter table api_credential add column expiry_warned_days int;
