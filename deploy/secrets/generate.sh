#!/bin/bash
# Functions that make secrets from /dev/urandom, sourced by deploy/compose/secrets/make-secrets.sh (compose's
# secrets-init) and deploy/k8s/overlays/dev/make-secrets.sh. Plain bash and coreutils (head, tr, od, base64) plus gzip,
# so that they run in the postgres image as well as on a workstation. Nothing here prints a secret anywhere but stdout.

BASE62=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz

# random_text <length>: that many random base62 characters
random_text() {
    local length="$1" text=""
    while [ "${#text}" -lt "$length" ]; do
        text+="$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
    done
    printf '%s' "${text:0:$length}"
}

# random_base64 <bytes>: that many random bytes, base64 (e.g. an AES-256 key: 32)
random_base64() {
    head -c "$1" /dev/urandom | base64 | tr -d '\n'
}

# crc32 <text>: the CRC-32 of the text (java.util.zip.CRC32's), from gzip's trailer, as a decimal number
crc32() {
    local bytes
    read -r -a bytes <<< "$(printf '%s' "$1" | gzip -c | tail -c 8 | head -c 4 | od -An -tu1)"
    echo $(( bytes[0] + (bytes[1] << 8) + (bytes[2] << 16) + (bytes[3] << 24) ))
}

# api_key live|test: a Keyfleet API key as auth-contracts' ApiKeyFormat makes it: kf_live_ or kf_test_, 40 random
# base62 characters, then the CRC-32 of everything before as 6 base62 characters (the most significant first)
api_key() {
    local body="kf_$1_$(random_text 40)" value checksum="" i
    value="$(crc32 "$body")"
    for i in 1 2 3 4 5 6; do
        checksum="${BASE62:$(( value % 62 )):1}$checksum"
        value=$(( value / 62 ))
    done
    printf '%s' "$body$checksum"
}
