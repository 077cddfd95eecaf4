# key-service, and only key-service, reads and writes key material: the KV v2 mount "secret"
# (keyfleet.secrets.vault.kv-mount) under the prefixes key-service's secret paths start with: tenants/ (key
# versions, credential secrets) and onetime/ (applyPublicKey keys). Writes always carry cas (the mount also
# requires it); destroy removes one version for good. No list, no metadata, no delete of whole histories.
path "secret/data/tenants/*" {
  capabilities = ["create", "read", "update"]
}

path "secret/destroy/tenants/*" {
  capabilities = ["update"]
}

path "secret/data/onetime/*" {
  capabilities = ["create", "read", "update"]
}

path "secret/destroy/onetime/*" {
  capabilities = ["update"]
}
