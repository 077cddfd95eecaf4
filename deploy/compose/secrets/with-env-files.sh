#!/bin/bash
# with-env-files.sh DIR COMMAND [ARGS...]: exports every file of DIR as the environment variable it is named after
# (its content the value), then runs COMMAND in its place. How a compose container gets the secrets secrets-init made
# for it (make-secrets.sh) without them appearing in docker-compose.yml or in `docker inspect`.
set -euo pipefail
dir="$1"
shift
for file in "$dir"/*; do
    [ -f "$file" ] || continue
    name="$(basename "$file")"
    if ! [[ "$name" =~ ^[A-Z][A-Z0-9_]*$ ]]; then
        echo "with-env-files.sh: $file is not named like an environment variable" >&2
        exit 1
    fi
    export "$name=$(cat "$file")"
done
exec "$@"
