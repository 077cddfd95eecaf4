# key-service, and only key-service, reads and writes key material: the KV v2 mount "secret"
# (keyfleet.secrets.vault.kv-mount), every secret under tenants/ (what key-service's SecretPaths produce).
# Writes always carry cas (the mount also requires it); destroy removes one version for good.
path "secret/data/tenants/*" {
  capabilities = ["create", "read", "update"]
}

path "secret/destroy/tenants/*" {
  capabilities = ["update"]
}
