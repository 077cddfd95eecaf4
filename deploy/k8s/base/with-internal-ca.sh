#!/bin/bash
# Entry point of every Keyfleet container in both deployments (Kubernetes mounts it from a ConfigMap,
# docker-compose from this file). The services call each other with the JDK's HttpClient, which trusts the JVM's
# default trust store; this makes that store the image's CA list (public providers, Vault) plus the internal CA
# that signed the services' certificates (/etc/keyfleet/tls/ca.crt), then starts the service as the image would.
# The store holds public certificates only; "changeit" is the JDK's customary store password, not a secret.
set -euo pipefail
keytool="${JAVA_HOME:-/usr/lib/jvm/jre}/bin/keytool"
store=/tmp/keyfleet-truststore.p12
rm -f "$store"
"$keytool" -importkeystore -noprompt -srckeystore "${JAVA_HOME:-/usr/lib/jvm/jre}/lib/security/cacerts" \
    -srcstorepass changeit -destkeystore "$store" -deststoretype PKCS12 -deststorepass changeit >/dev/null 2>&1
"$keytool" -importcert -noprompt -alias keyfleet-internal-ca -file /etc/keyfleet/tls/ca.crt \
    -keystore "$store" -storetype PKCS12 -storepass changeit >/dev/null
export JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -Djavax.net.ssl.trustStore=$store -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit"
exec /opt/jboss/container/java/run/run-java.sh "$@"
