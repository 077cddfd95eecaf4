-- secret material of the local secret backend (io.keyfleet.keys.secret.LocalSecretStore): envelope encryption, one
-- row per secret version. Nothing here is secret in clear: ciphertext is AES-256-GCM under a per-version data key,
-- wrapped_data_key is that data key under a master key that never enters the database. A destroyed version keeps
-- its row (versions keep counting) without any material.
create table secret_version (
    path                varchar(512) not null,
    version             int          not null check (version > 0),
    master_key_version  int          not null,
    wrapped_data_key    bytea,
    iv                  bytea,
    ciphertext          bytea,
    created_at          timestamptz  not null,
    destroyed_at        timestamptz,
    primary key (path, version),
    constraint secret_version_material check (
        (destroyed_at is null and wrapped_data_key is not null and iv is not null and ciphertext is not null)
        or (destroyed_at is not null and wrapped_data_key is null and iv is null and ciphertext is null))
);

-- rewrap looks for live rows under an older master key version
create index secret_version_live_by_master_key on secret_version (master_key_version) where destroyed_at is null;
