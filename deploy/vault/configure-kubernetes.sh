#!/bin/sh
# Configures an existing Vault for Keyfleet on Kubernetes. Run it once per cluster/namespace as a Vault admin
# (VAULT_ADDR and VAULT_TOKEN set), from a machine or pod that can reach both Vault and the cluster:
#
#   deploy/vault/configure-kubernetes.sh keyfleet https://kubernetes.default.svc:443
#
# It enables the Kubernetes auth method and the KV v2 mount key-service uses, writes the key-service policy and
# one role per service, each bound to that service's ServiceAccount in the namespace and to the token audience
# "vault" (the projected token key-service mounts). Only the key-service role carries the key-service policy;
# the other roles get Vault's default policy only, so their pods can log in but read no key material.
set -eu

NAMESPACE="${1:?usage: configure-kubernetes.sh <namespace> [kubernetes API URL]}"
KUBERNETES_HOST="${2:-https://kubernetes.default.svc:443}"
KV_MOUNT=secret
AUTH_MOUNT=kubernetes
AUDIENCE=vault
HERE="$(cd "$(dirname "$0")" && pwd)"

if ! vault auth list -format=json | grep -q "\"$AUTH_MOUNT/\""; then
    vault auth enable -path="$AUTH_MOUNT" kubernetes
fi
# Vault checks the service account tokens it is shown with this API server's TokenReview
vault write "auth/$AUTH_MOUNT/config" kubernetes_host="$KUBERNETES_HOST"

if ! vault secrets list -format=json | grep -q "\"$KV_MOUNT/\""; then
    vault secrets enable -path="$KV_MOUNT" -version=2 kv
fi
vault write "$KV_MOUNT/config" max_versions=100 cas_required=true
vault policy write key-service "$HERE/policies/key-service.hcl"

role() {
    vault write "auth/$AUTH_MOUNT/role/$1" \
        bound_service_account_names="$1" \
        bound_service_account_namespaces="$NAMESPACE" \
        audience="$AUDIENCE" \
        token_policies="$2" \
        token_ttl=1h token_max_ttl=4h
}

#    role (= ServiceAccount)  policies
role key-service               key-service
role signing-service           default
role token-service             default
role sync-service              default
