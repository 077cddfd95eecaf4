#!/bin/bash
# Runs once, on the first start of an empty data volume (the postgres image's /docker-entrypoint-initdb.d).
# One database per service, each owned by its own login role; nobody else may connect to it. The passwords
# (<SERVICE>_DB_PASSWORD) come from secrets-init, exported by with-env-files.sh before the image's entry point runs.
set -euo pipefail

create_database() {
    local name="$1" password="$2"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
}

create_database key_service      "$KEY_SERVICE_DB_PASSWORD"
create_database signing_service  "$SIGNING_SERVICE_DB_PASSWORD"
create_database token_service    "$TOKEN_SERVICE_DB_PASSWORD"
create_database sync_service     "$SYNC_SERVICE_DB_PASSWORD"
create_database provider_sandbox "$PROVIDER_SANDBOX_DB_PASSWORD"
