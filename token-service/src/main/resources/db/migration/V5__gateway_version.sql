-- Issue 16: the provider gateway a grant was exchanged through (V2: alipay.open.auth.token.app on /gateway.do, V3:
-- /v3/alipay/open/auth/token/app); its refreshes go through the same one. Every grant so far went through v2, and a
-- replica of the previous version still inserts rows without this column while an upgrade rolls, also through v2.
alter table token_grant add column gateway_version varchar(8) not null default 'V2';
