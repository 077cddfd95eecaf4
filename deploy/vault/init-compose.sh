#!/bin/sh
# The init/unseal helper of docker-compose.yml. Runs on every `docker compose up` and is idempotent:
#  1. waits for the Vault server, initialises it once (1 key share: a demo, see docs/operations.md),
#  2. unseals it,
#  3. enables the KV v2 mount key-service uses, writes the key-service policy,
#  4. gives key-service a token with only that policy (kept and renewed while valid, else a new one).
# The unseal key and root token stay on the vault-init volume, which only this helper mounts.
set -eu
umask 077

export VAULT_ADDR="${VAULT_ADDR:-https://vault:8200}"
KV_MOUNT="${KV_MOUNT:-secret}"
STATE=/vault/init
TOKEN_FILE=/vault/tokens/key-service.token
KEY_SERVICE_UID=185

echo "waiting for Vault at $VAULT_ADDR"
while true; do
    status=0
    vault status >/dev/null 2>&1 || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 2 ] && break   # 0 unsealed, 2 sealed, 1 not answering
    sleep 1
done

if ! vault status -format=json 2>/dev/null | grep -q '"initialized": true'; then
    echo "initialising Vault"
    vault operator init -key-shares=1 -key-threshold=1 > "$STATE/init.txt"
fi
unseal_key=$(awk '/^Unseal Key 1:/ {print $4}' "$STATE/init.txt")
root_token=$(awk '/^Initial Root Token:/ {print $4}' "$STATE/init.txt")

if ! vault status >/dev/null 2>&1; then
    echo "unsealing Vault"
    vault operator unseal "$unseal_key" >/dev/null
fi

export VAULT_TOKEN="$root_token"
if ! vault secrets list -format=json | grep -q "\"$KV_MOUNT/\""; then
    vault secrets enable -path="$KV_MOUNT" -version=2 kv
fi
# cas_required: every write must say which version it expects (key-service always does)
vault write "$KV_MOUNT/config" max_versions=100 cas_required=true >/dev/null
vault policy write key-service /vault/policies/key-service.hcl

if [ -s "$TOKEN_FILE" ] && VAULT_TOKEN="$(cat "$TOKEN_FILE")" vault token renew >/dev/null 2>&1; then
    echo "key-service token renewed"
else
    vault token create -orphan -policy=key-service -period=768h -display-name=key-service -field=token > "$TOKEN_FILE.new"
    mv "$TOKEN_FILE.new" "$TOKEN_FILE"
    echo "key-service token created"
fi
chown "$KEY_SERVICE_UID" "$TOKEN_FILE"
chmod 400 "$TOKEN_FILE"
echo "Vault ready: KV v2 at $KV_MOUNT/, policy key-service"
