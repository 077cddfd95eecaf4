# syntax=docker/dockerfile:1
####
# The images of the four services and the provider sandbox, from a fresh clone: nothing is built on the host.
#
#   docker compose up --build                                          # all five, with the stack around them
#   docker build --target key-service -t keyfleet/key-service:0.1.0 .  # one image (targets: the service names)
#
# Stage `build` runs Maven once for all five (the Maven repository is a BuildKit cache mount, so a rebuild
# downloads nothing); each service's stage copies that service's Quarkus fast-jar, libraries first, onto the
# Red Hat OpenJDK 17 runtime. The context is the repository root (see .dockerignore). Needs BuildKit, the builder
# of `docker compose` and of Docker Engine 23+. deploy-check (ContainerImagesTest) checks this file against the
# poms, .dockerignore and docker-compose.yml.
####

# Temurin rather than ubi9/openjdk-17: the Maven Wrapper unpacks Maven with unzip or tar+gzip, and the ubi
# builder image has neither unzip nor gzip. Runs as root, so the cache mount below is /root/.m2.
FROM eclipse-temurin:17.0.17_10-jdk AS build
WORKDIR /build

# Maven reads the pom of every module the root pom lists, even when it builds only some of them.
COPY mvnw pom.xml ./
COPY .mvn/wrapper/maven-wrapper.properties .mvn/wrapper/
COPY auth-contracts/pom.xml auth-contracts/
COPY event-contracts/pom.xml event-contracts/
COPY key-service-api/pom.xml key-service-api/
COPY key-service-stub/pom.xml key-service-stub/
COPY signing-service-api/pom.xml signing-service-api/
COPY service-kit/pom.xml service-kit/
COPY local-stack/pom.xml local-stack/
COPY test-kit/pom.xml test-kit/
COPY suite-launcher/pom.xml suite-launcher/
COPY key-service/pom.xml key-service/
COPY signing-service/pom.xml signing-service/
COPY token-service/pom.xml token-service/
COPY sync-service/pom.xml sync-service/
COPY provider-sandbox/pom.xml provider-sandbox/
COPY cli/pom.xml cli/
COPY bench/pom.xml bench/
COPY deploy-check/pom.xml deploy-check/

# Main sources of the five deployables and of every module they depend on (-am: test-kit and local-stack are
# test dependencies, and so is key-service-stub, but Maven builds them all the same). Tests are neither compiled nor run: -Dmaven.test.skip.
COPY auth-contracts/src/main/ auth-contracts/src/main/
COPY event-contracts/src/main/ event-contracts/src/main/
COPY key-service-api/src/main/ key-service-api/src/main/
COPY key-service-stub/src/main/ key-service-stub/src/main/
COPY signing-service-api/src/main/ signing-service-api/src/main/
COPY service-kit/src/main/ service-kit/src/main/
COPY local-stack/src/main/ local-stack/src/main/
COPY test-kit/src/main/ test-kit/src/main/
COPY key-service/src/main/ key-service/src/main/
COPY signing-service/src/main/ signing-service/src/main/
COPY token-service/src/main/ token-service/src/main/
COPY sync-service/src/main/ sync-service/src/main/
COPY provider-sandbox/src/main/ provider-sandbox/src/main/

# `sh mvnw`: runs whether or not the checkout kept mvnw's executable bit
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    sh mvnw -B -ntp -pl provider-sandbox,key-service,signing-service,token-service,sync-service -am \
    package -Dmaven.test.skip=true

# What every service image shares: run-java.sh (heap from the container's memory limit), user 185, never root.
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24 AS runtime
ENV LANGUAGE='en_US:en'
USER 185
ENV JAVA_OPTS_APPEND="-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
ENV JAVA_APP_JAR="/deployments/quarkus-run.jar"
ENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]

# One stage per service: its fast-jar in four layers (libraries first, so a code change leaves them as they were),
# its port, and a health check on /q/health/ready that needs no curl (bash opens the socket).

FROM runtime AS provider-sandbox
COPY --from=build --chown=185 /build/provider-sandbox/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /build/provider-sandbox/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /build/provider-sandbox/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /build/provider-sandbox/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8090
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8090 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

FROM runtime AS signing-service
COPY --from=build --chown=185 /build/signing-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /build/signing-service/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /build/signing-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /build/signing-service/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8082
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8082 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

FROM runtime AS token-service
COPY --from=build --chown=185 /build/token-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /build/token-service/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /build/token-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /build/token-service/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8083
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8083 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

FROM runtime AS sync-service
COPY --from=build --chown=185 /build/sync-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /build/sync-service/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /build/sync-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /build/sync-service/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8084
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8084 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

FROM runtime AS key-service
COPY --from=build --chown=185 /build/key-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /build/key-service/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /build/key-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /build/key-service/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
