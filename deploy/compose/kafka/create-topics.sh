#!/bin/bash
# Creates Keyfleet's topics on the compose broker (idempotent). The same partitions and retention as the
# KafkaTopic resources in deploy/k8s/base/kafka-topics.yaml; deploy-check compares them.
set -euo pipefail
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-localhost:9095}"

create() {
    local topic="$1" partitions="$2" retention_ms="$3"
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
        --topic "$topic" --partitions "$partitions" --replication-factor 1 \
        --config retention.ms="$retention_ms" --config cleanup.policy=delete
}

#      topic                    partitions retention.ms
create keyfleet.keys.v1         6          2592000000
create keyfleet.credentials.v1  6          2592000000
create keyfleet.tokens.v1       6          604800000
create keyfleet.pools.v1        6          604800000
