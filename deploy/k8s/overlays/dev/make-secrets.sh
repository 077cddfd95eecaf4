#!/bin/bash
# The dev overlay's secret values, made at random into secrets/*.env beside this script (ignored by git), which the
# overlay's secretGenerator reads. Run it once before the first `kubectl apply -k deploy/k8s/overlays/dev`; later runs
# keep every file that exists (the databases' roles and the services' credentials were made with them). To start over
# with new values: delete secrets/ and the keyfleet-dev namespace's data (the PostgreSQL cluster), then run it again.
#   deploy/k8s/overlays/dev/make-secrets.sh [DIRECTORY]   (default: secrets/ beside this script)
set -euo pipefail
umask 077
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../../secrets/generate.sh"
DIR="${1:-$HERE/secrets}"
mkdir -p "$DIR"

# file NAME LINE...: secrets/NAME.env with these KEY=VALUE lines, unless it exists
file() {
    local target="$DIR/$1.env"
    shift
    if [ -s "$target" ]; then
        return
    fi
    printf '%s\n' "$@" > "$target.new"
    mv "$target.new" "$target"
    echo "made $target"
}

for service in key-service signing-service token-service sync-service provider-sandbox; do
    file "$service-db" "password=$(random_text 32)"
done

# the service keys are in key-service's file and in each service's own: made together, or kept together
keys=(key-service-secrets signing-service-api-key token-service-api-key sync-service-api-key)
present=0
for name in "${keys[@]}"; do
    [ -s "$DIR/$name.env" ] && present=$((present + 1))
done
if [ "$present" -ne 0 ] && [ "$present" -ne "${#keys[@]}" ]; then
    echo "make-secrets.sh: only some of ${keys[*]} exist in $DIR; delete them all to make new service keys" >&2
    exit 1
fi
signing="$(api_key test)"
token="$(api_key test)"
sync="$(api_key test)"
file signing-service-api-key "api-key=$signing"
file token-service-api-key "api-key=$token"
file sync-service-api-key "api-key=$sync"
file key-service-secrets "admin-api-key=$(api_key test)" "audit-hmac-key=$(random_base64 32)" \
    "service-keys=signing-service:$signing,token-service:$token,sync-service:$sync"
file token-service-tokens-key "key=$(random_base64 32)"
