-- Alipay public-key certificate mode. The sandbox's own CA, made on first start: an RSA root (SHA256withRSA), an EC
-- root (which the SDK leaves out of alipay_root_cert_sn, as Alipay's own bundle has one), an intermediate CA that
-- issues the platform's and the apps' public-key certificates, and the platform's certificate (of platform_key).
create table sandbox_ca (
    id              int          primary key check (id = 1),
    root_key        bytea        not null,  -- PKCS#8 DER
    root_cert       bytea        not null,  -- X.509 DER
    ec_root_key     bytea        not null,
    ec_root_cert    bytea        not null,
    ca_key          bytea        not null,
    ca_cert         bytea        not null,
    platform_cert   bytea        not null,  -- reissued when platform_key changes
    created_at      timestamptz  not null
);

-- A certificate-mode app: its public-key certificate (X.509 DER) issued by the sandbox CA; null for public-key mode.
alter table sandbox_app add column app_cert bytea;
