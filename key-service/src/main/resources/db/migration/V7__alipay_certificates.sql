-- Alipay public-key certificate mode (issue 16). The provider's side per tenant, provider and environment: its
-- public-key certificate(s) with intermediates, and the root bundle they chain to. Replaced as a whole on each PUT.
create table provider_certificate (
    id               uuid          primary key,
    tenant_id        varchar(64)   not null references tenant (id),
    provider         varchar(40)   not null,
    environment      varchar(16)   not null,
    certificate_pem  text          not null check (length(certificate_pem) <= 65536),
    root_pem         text          not null check (length(root_pem) <= 65536),
    root_cert_sn     varchar(400)  not null,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    constraint provider_certificate_scope unique (tenant_id, provider, environment)
);

-- The app's public-key certificate per app key version: its public key is that version's.
create table app_key_certificate (
    key_id           uuid          not null references app_key (id),
    key_version      int           not null,
    certificate_pem  text          not null check (length(certificate_pem) <= 65536),
    cert_sn          char(32)      not null,
    not_after        timestamptz   not null,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    primary key (key_id, key_version)
);
