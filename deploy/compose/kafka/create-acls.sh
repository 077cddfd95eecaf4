#!/bin/bash
# The SCRAM-SHA-512 users and ACLs of the compose broker (idempotent), run by the kafka-topics one-shot after
# create-topics.sh. One user per service, named after it, with the password its container uses
# (<SERVICE>_KAFKA_PASSWORD, made by secrets-init); the ACLs are those of event-contracts' Topics.java, the same as
# the Strimzi KafkaUsers in deploy/k8s/base/kafka-users.yaml (deploy-check compares both with Topics.java):
# Write on the topics the service writes, Read on those it reads, Read on the consumer groups named after it.
# Passwords go to kafka-configs on its command line inside this container only and are never printed.
set -euo pipefail
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-localhost:9095}"

user() {
    local name="$1" password="$2"
    /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --alter --entity-type users --entity-name "$name" \
        --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
}

allow() {
    local name="$1" operation="$2" resource="$3" resource_name="$4"
    case "$resource" in
        topic) set -- --topic "$resource_name" ;;
        group-prefix) set -- --group "$resource_name" --resource-pattern-type prefixed ;;
        *) echo "unknown resource $resource" >&2; exit 1 ;;
    esac
    /opt/kafka/bin/kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$name" \
        --operation "$operation" "$@" >/dev/null
}

user key-service "$KEY_SERVICE_KAFKA_PASSWORD"
user signing-service "$SIGNING_SERVICE_KAFKA_PASSWORD"
user token-service "$TOKEN_SERVICE_KAFKA_PASSWORD"
user sync-service "$SYNC_SERVICE_KAFKA_PASSWORD"

#     user             operation resource     name
allow key-service      Write     topic        keyfleet.keys.v1
allow key-service      Write     topic        keyfleet.credentials.v1
allow key-service      Read      topic        keyfleet.credentials.v1
allow key-service      Read      group-prefix key-service
allow signing-service  Read      topic        keyfleet.keys.v1
allow signing-service  Read      topic        keyfleet.credentials.v1
allow signing-service  Read      group-prefix signing-service
allow token-service    Write     topic        keyfleet.tokens.v1
allow token-service    Read      topic        keyfleet.credentials.v1
allow token-service    Read      group-prefix token-service
allow sync-service     Write     topic        keyfleet.pools.v1
allow sync-service     Read      topic        keyfleet.keys.v1
allow sync-service     Read      topic        keyfleet.credentials.v1
allow sync-service     Read      group-prefix sync-service
echo "Kafka users and ACLs in place"
