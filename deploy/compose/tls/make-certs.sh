#!/bin/bash
# One-shot helper of docker-compose.yml (tls-init, in the postgres image for its openssl): on first start a CA and
# a certificate per server, each on the volume of the one container that uses it; on later starts only what is
# missing, expired within 30 days or no longer signed by the CA. The CA key stays on tls-ca, which only this helper
# mounts. To rotate everything: `docker compose down`, `docker volume rm` the tls-* volumes, `docker compose up`.
#
# Each server's volume gets tls.crt (SANs: its compose name, localhost, 127.0.0.1), tls.key (readable only by the
# server's user) and ca.crt; Kafka's also a PKCS12 key store and the broker's JAAS file (SCRAM logins).
set -euo pipefail
umask 077
CA=/tls/ca

if [ ! -s "$CA/ca.key" ] || ! openssl x509 -in "$CA/ca.crt" -noout -checkend 2592000 >/dev/null 2>&1; then
    echo "making the compose CA"
    openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 1825 -subj "/CN=Keyfleet compose CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$CA/ca.key" -out "$CA/ca.crt" 2>/dev/null
fi

# issue <name> <uid of the server's user>
issue() {
    local name="$1" owner="$2" dir="/tls/$1"
    if [ -s "$dir/tls.key" ] && openssl verify -CAfile "$CA/ca.crt" "$dir/tls.crt" >/dev/null 2>&1 \
        && openssl x509 -in "$dir/tls.crt" -noout -checkend 2592000 >/dev/null 2>&1 && cmp -s "$CA/ca.crt" "$dir/ca.crt"; then
        return
    fi
    echo "issuing the certificate of $name"
    openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
    printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
        "$name" > "$dir/tls.ext"
    openssl x509 -req -sha256 -days 397 -in "$dir/tls.csr" -CA "$CA/ca.crt" -CAkey "$CA/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -extfile "$dir/tls.ext" -out "$dir/tls.crt" 2>/dev/null
    rm -f "$dir/tls.csr" "$dir/tls.ext"
    cp "$CA/ca.crt" "$dir/ca.crt"
    if [ "$name" = kafka ]; then
        # the apache/kafka image reads its key store and the key store's password from files in /etc/kafka/secrets
        # the key store's password: KAFKA_KEYSTORE_PASSWORD from .env, else a random one (it stays in this file only)
        printf '%s' "${KAFKA_KEYSTORE_PASSWORD:-$(openssl rand -hex 24)}" > "$dir/keystore-credentials"
        openssl pkcs12 -export -name kafka -in "$dir/tls.crt" -inkey "$dir/tls.key" -certfile "$CA/ca.crt" \
            -passout file:"$dir/keystore-credentials" -out "$dir/kafka.p12"
        printf 'KafkaServer {\n    org.apache.kafka.common.security.scram.ScramLoginModule required;\n};\n' > "$dir/kafka_server_jaas.conf"
    fi
    chown -R "$owner" "$dir"
    chmod 0400 "$dir/tls.key"
    chmod 0444 "$dir/tls.crt" "$dir/ca.crt"
}

issue postgres 999          # the postgres image's postgres user
issue kafka 1000            # the apache/kafka image's appuser
issue vault 100             # the hashicorp/vault image's vault user
for service in key-service signing-service token-service sync-service provider-sandbox; do
    issue "$service" 185    # the Keyfleet images' user
done
