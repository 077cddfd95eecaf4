# Vault server of docker-compose.yml: a real server (not dev mode), file storage on the vault-data volume.
# TLS with the certificate tls-init made (deploy/compose/tls/make-certs.sh); key-service trusts the compose CA.
storage "file" {
  path = "/vault/file"
}

listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
}

api_addr      = "https://vault:8200"
disable_mlock = true
ui            = false
