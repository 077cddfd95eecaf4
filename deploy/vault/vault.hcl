# Vault server of docker-compose.yml: a real server (not dev mode), file storage on the vault-data volume.
# TLS is off because the listener is reachable only on the compose network; never expose it beyond that.
storage "file" {
  path = "/vault/file"
}

listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = true
}

api_addr      = "http://vault:8200"
disable_mlock = true
ui            = false
