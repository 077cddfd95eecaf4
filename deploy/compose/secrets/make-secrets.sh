#!/bin/bash
# One-shot helper of docker-compose.yml (secrets-init): the secrets of the compose stack, made at random on first start
# and kept on the secrets-state volume, which only this helper mounts. Nothing secret is written in docker-compose.yml.
# A value set in .env (the variable of the same name below) replaces the kept one, on every start: the way to bring
# your own secret or rotate one (then `docker compose up -d --force-recreate`; see docs/operations.md).
#
# Every container gets a volume of its own with only what it needs, one file per environment variable (named after it,
# owner-only for the container's user); with-env-files.sh exports them when the container starts:
#   postgres                the superuser's and each service's database password (read by init-databases.sh)
#   kafka-topics            each service's SCRAM password (read by create-acls.sh)
#   <service>               KEYFLEET_DB_PASSWORD, KAFKA_SASL_JAAS_CONFIG, its API key, and key-service's
#                           KEYFLEET_ADMIN_API_KEY, KEYFLEET_SERVICE_KEYS, KEYFLEET_AUDIT_HMAC_KEY; token-service's
#                           KEYFLEET_TOKENS_KEY
# SECRETS_ROOT (default /secrets) is where the volumes are mounted; deploy-check runs this script in a directory.
set -euo pipefail
umask 077
source "$(dirname "${BASH_SOURCE[0]}")/../../secrets/generate.sh"

ROOT="${SECRETS_ROOT:-/secrets}"
STATE="$ROOT/state"
KEYFLEET_USER=185   # the Keyfleet images' user
POSTGRES_USER_ID=999
KAFKA_USER_ID=1000
mkdir -p "$STATE"

# value NAME generator [args]: the secret NAME from .env when set there, else the kept one, else a new one
value() {
    local name="$1"
    shift
    if [ -n "${!name:-}" ]; then
        printf '%s' "${!name}" > "$STATE/$name"
    elif [ ! -s "$STATE/$name" ]; then
        "$@" > "$STATE/$name.new"
        mv "$STATE/$name.new" "$STATE/$name"
    fi
    cat "$STATE/$name"
}

# give CONTAINER UID NAME VALUE: the variable NAME for the container, readable by its user only
give() {
    local dir="$ROOT/$1" file="$ROOT/$1/$3"
    if [ -z "$4" ]; then
        echo "secrets-init: no value for $3 of $1" >&2
        exit 1
    fi
    mkdir -p "$dir"
    rm -f "$file"
    printf '%s' "$4" > "$file"
    chmod 0400 "$file"
    chmod 0700 "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown "$2" "$dir" "$file"
    fi
}

jaas() {
    printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$2"
}

superuser_password="$(value POSTGRES_PASSWORD random_text 32)"
give postgres "$POSTGRES_USER_ID" POSTGRES_PASSWORD "$superuser_password"
for service in key-service signing-service token-service sync-service provider-sandbox; do
    variable="$(echo "$service" | tr 'a-z-' 'A-Z_')"
    password="$(value "${variable}_DB_PASSWORD" random_text 32)"
    give postgres "$POSTGRES_USER_ID" "${variable}_DB_PASSWORD" "$password"
    give "$service" "$KEYFLEET_USER" KEYFLEET_DB_PASSWORD "$password"
done

for service in key-service signing-service token-service sync-service; do
    variable="$(echo "$service" | tr 'a-z-' 'A-Z_')"
    password="$(value "${variable}_KAFKA_PASSWORD" random_text 32)"
    give kafka-topics "$KAFKA_USER_ID" "${variable}_KAFKA_PASSWORD" "$password"
    login="$(jaas "$service" "$password")"
    give "$service" "$KEYFLEET_USER" KAFKA_SASL_JAAS_CONFIG "$login"
done

service_keys=""
for service in signing-service token-service sync-service; do
    variable="$(echo "$service" | tr 'a-z-' 'A-Z_')"
    key="$(value "${variable}_API_KEY" api_key live)"
    give "$service" "$KEYFLEET_USER" KEYFLEET_SERVICE_API_KEY "$key"
    service_keys="${service_keys:+$service_keys,}$service:$key"
done
give key-service "$KEYFLEET_USER" KEYFLEET_SERVICE_KEYS "$service_keys"
admin_key="$(value KEYFLEET_ADMIN_API_KEY api_key live)"
give key-service "$KEYFLEET_USER" KEYFLEET_ADMIN_API_KEY "$admin_key"
audit_key="$(value KEYFLEET_AUDIT_HMAC_KEY random_base64 32)"
give key-service "$KEYFLEET_USER" KEYFLEET_AUDIT_HMAC_KEY "$audit_key"
tokens_key="$(value TOKEN_SERVICE_TOKENS_KEY random_base64 32)"
give token-service "$KEYFLEET_USER" KEYFLEET_TOKENS_KEY "$tokens_key"
echo "secrets-init: the stack's secrets are in place (values kept on the secrets-state volume)"
