-- Until when the refresh token before the last refresh may still be honoured by the provider (its own expiry).
alter table token_grant add column previous_refresh_until timestamptz;
