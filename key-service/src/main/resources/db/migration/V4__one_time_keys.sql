-- One-time RSA keys of applyPublicKey: each decrypts exactly one ciphertext. The private half lives in the secret
-- store at onetime/<unique_id> version 1 (never here); this row only tracks its life.
-- state: ISSUED (usable until expires_at), USED (decrypted once), FAILED (burnt by a failed decrypt), EXPIRED.
create table one_time_key (
    unique_id    varchar(64)  primary key,
    customer_id  varchar(32),
    salt         varchar(64)  not null,
    created_at   timestamptz  not null,
    expires_at   timestamptz  not null,
    used_at      timestamptz,
    state        varchar(16)  not null
);
create index one_time_key_issued_by_expiry on one_time_key (expires_at) where state = 'ISSUED';
