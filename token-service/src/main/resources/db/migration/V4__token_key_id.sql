-- The token key a grant's encrypted tokens are under (token-service's TokenCipher). Every row so far was written with
-- the single key of the time, which is key 1; a replica of the previous version still inserts rows without this column
-- while an upgrade rolls, and writes them under that same key 1.
alter table token_grant add column token_key_id integer not null default 1;
-- the background re-encryption and the count of grants per key
create index token_grant_by_token_key on token_grant (token_key_id)
    where access_token_enc is not null or refresh_token_enc is not null or previous_refresh_enc is not null;
