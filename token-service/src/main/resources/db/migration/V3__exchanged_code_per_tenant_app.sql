-- Issue 15: an authorization code is recorded per tenant and app (provider, app id, environment). A code is a replay
-- only when the same tenant presents it again for the same app; another tenant presenting it can no longer revoke the
-- grant it produced. '' in provider, app_id and environment means "app unknown": rows written before this version
-- whose exchange made no grant, and rows a previous version still writes during a rolling upgrade (hence the
-- defaults). Such a row counts for every app.
alter table exchanged_code add column provider    varchar(40) not null default '';
alter table exchanged_code add column app_id      varchar(64) not null default '';
alter table exchanged_code add column environment varchar(16) not null default '';
update exchanged_code c set provider = g.provider, app_id = g.app_id, environment = g.environment
    from token_grant g where g.id = c.grant_id;
alter table exchanged_code drop constraint exchanged_code_pkey;
alter table exchanged_code add constraint exchanged_code_pkey primary key (tenant_id, provider, app_id, environment, code_hash);
-- every presentation of one code, whoever made it: looked up on each exchange
create index exchanged_code_by_hash on exchanged_code (code_hash);
