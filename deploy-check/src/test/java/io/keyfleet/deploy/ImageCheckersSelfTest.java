package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile checkers themselves (ImageRules, DockerIgnore, Dockerfile, MavenReactor), fed a small repository
 * made here and a Dockerfile that builds it: the good one passes, each deliberately broken one is reported.
 */
class ImageCheckersSelfTest {

    private static final String PARENT = "<parent><groupId>x</groupId><artifactId>root</artifactId><version>1</version></parent>";

    private static final String GOOD = """
            # syntax=docker/dockerfile:1
            # the builder
            FROM eclipse-temurin:17.0.17_10-jdk AS build
            WORKDIR /build
            COPY mvnw pom.xml ./
            COPY .mvn/wrapper/maven-wrapper.properties .mvn/wrapper/
            COPY lib/pom.xml lib/
            COPY kit/pom.xml kit/
            COPY svc/pom.xml svc/
            COPY tool/pom.xml tool/
            COPY lib/src/main/ lib/src/main/
            COPY kit/src/main/ kit/src/main/
            COPY svc/src/main/ svc/src/main/
            RUN --mount=type=cache,target=/root/.m2 \\
            # a comment inside a continued instruction vanishes
                sh mvnw -B -pl svc -am package -Dmaven.test.skip=true

            FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24 AS runtime
            USER 185
            ENV JAVA_APP_JAR="/deployments/quarkus-run.jar"
            entrypoint [ "/opt/jboss/container/java/run/run-java.sh" ]

            FROM runtime AS svc
            COPY --from=build --chown=185 /build/svc/target/quarkus-app/lib/ /deployments/lib/
            COPY --from=build --chown=185 /build/svc/target/quarkus-app/*.jar /deployments/
            COPY --from=build --chown=185 /build/svc/target/quarkus-app/app/ /deployments/app/
            COPY --from=build --chown=185 /build/svc/target/quarkus-app/quarkus/ /deployments/quarkus/
            EXPOSE 8081
            HEALTHCHECK --interval=10s \\
              CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && echo /q/health/ready"]
            """;

    @TempDir
    Path root;

    @BeforeEach
    void repository() throws IOException {
        write("pom.xml", "<project><groupId>x</groupId><artifactId>root</artifactId><modules>"
                + "<module>lib</module><module>kit</module><module>svc</module><module>tool</module></modules></project>");
        write("lib/pom.xml", pom("lib", ""));
        write("kit/pom.xml", pom("kit", "<dependencies><dependency><groupId>x</groupId><artifactId>lib</artifactId></dependency></dependencies>"));
        write("svc/pom.xml", pom("svc", """
                <dependencies>
                  <dependency><groupId>x</groupId><artifactId>lib</artifactId></dependency>
                  <dependency><groupId>x</groupId><artifactId>kit</artifactId><scope>test</scope></dependency>
                </dependencies>
                <build><plugins><plugin><groupId>io.quarkus.platform</groupId><artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build>
                """));
        write("tool/pom.xml", pom("tool", "<dependencies><dependency><groupId>x</groupId><artifactId>svc</artifactId></dependency></dependencies>"));
        write("lib/src/main/java/Lib.java", "class Lib {}");
        write("lib/src/test/java/LibTest.java", "class LibTest {}");
        write("kit/src/main/java/Kit.java", "class Kit {}");
        write("svc/src/main/java/Svc.java", "class Svc {}");
        write("svc/src/main/resources/application.properties", "quarkus.http.port=8081\n");
        write("svc/target/quarkus-app/quarkus-run.jar", "host build output");
        write("tool/src/main/java/Tool.java", "class Tool {}");
        write("mvnw", "#!/bin/sh\n");
        write(".mvn/wrapper/maven-wrapper.properties", "distributionUrl=https://example.invalid/maven.zip\n");
        write(".dockerignore", "# host output\n**/target\n**/src/test\n");
    }

    private static String pom(String artifactId, String body) {
        return "<project>" + PARENT + "<artifactId>" + artifactId + "</artifactId>" + body + "</project>";
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private ImageRules.Context context() {
        return ImageRules.Context.of(root, "Dockerfile");
    }

    private List<String> all(String dockerfileText) {
        Dockerfile dockerfile = Dockerfile.parse(dockerfileText);
        ImageRules.Context context = context();
        MavenReactor reactor = MavenReactor.read(root);
        List<String> violations = new java.util.ArrayList<>();
        violations.addAll(ImageRules.bases(dockerfile));
        violations.addAll(ImageRules.stageReferences(dockerfile));
        violations.addAll(ImageRules.contextSources(dockerfile, context));
        violations.addAll(ImageRules.builder(dockerfile, context, reactor));
        violations.addAll(ImageRules.builderOutputs(dockerfile, context, reactor));
        violations.addAll(ImageRules.serviceImage(dockerfile, context, "svc", "svc", 8081));
        return violations;
    }

    @Test
    void theGoodDockerfilePassesEveryRule() {
        assertThat(all(GOOD)).isEmpty();
        ImageRules.Builder builder = ImageRules.builder(Dockerfile.parse(GOOD), context()).orElseThrow();
        assertThat(builder.files()).containsEntry("/build/mvnw", "mvnw").containsEntry("/build/svc/src/main/java/Svc.java", "svc/src/main/java/Svc.java")
                .doesNotContainKey("/build/tool/src/main/java/Tool.java");
        assertThat(MavenReactor.read(root).alsoMake(List.of("svc"))).as("-am follows test-scoped dependencies too")
                .containsExactlyInAnyOrder("svc", "lib", "kit");
    }

    @Test
    void unpinnedBasesAndMistypedStagesAreReported() {
        String broken = GOOD.replace("eclipse-temurin:17.0.17_10-jdk", "eclipse-temurin:latest").replace("FROM runtime AS svc", "FROM runtim AS svc")
                .replace("openjdk-17-runtime:1.24", "openjdk-17-runtime");
        assertThat(String.join("\n", ImageRules.bases(Dockerfile.parse(broken))))
                .contains("stage build: base image eclipse-temurin:latest is not pinned", "stage svc: base image runtim is not pinned",
                        "stage runtime: base image registry.access.redhat.com/ubi9/openjdk-17-runtime is not pinned");
    }

    @Test
    void copyFromAStageThatIsMissingOrComesLaterIsReported() {
        String broken = GOOD.replace("--from=build --chown=185 /build/svc/target/quarkus-app/lib/", "--from=builder --chown=185 /build/svc/target/quarkus-app/lib/")
                .replace("USER 185\n", "USER 185\nCOPY --from=svc /x /x\n");
        assertThat(ImageRules.stageReferences(Dockerfile.parse(broken))).containsExactlyInAnyOrder(
                "stage runtime: COPY --from=svc names no earlier stage", "stage svc: COPY --from=builder names no earlier stage");
    }

    @Test
    void copiedPathsThatAreMissingExcludedOrOutsideTheContextAreReported() {
        String broken = GOOD.replace("COPY svc/src/main/ svc/src/main/", """
                COPY svc/src/main/ svc/src/main/
                COPY lib/src/test/ lib/src/test/
                COPY svc/target/quarkus-app/ svc/target/quarkus-app/
                COPY README.md ./
                COPY ../secrets/ ./
                ADD https://example.invalid/x.jar ./
                COPY *.txt ./
                """);
        assertThat(String.join("\n", ImageRules.contextSources(Dockerfile.parse(broken), context())))
                .contains("lib/src/test is excluded by .dockerignore", "svc/target/quarkus-app is excluded by .dockerignore",
                        "README.md does not exist in the repository", "../secrets is outside the build context",
                        "https://example.invalid/x.jar is fetched from the network", "*.txt matches nothing in the build context");
    }

    @Test
    void aDockerignoreThatKeepsOutWhatMavenCompilesIsReported() throws IOException {
        write(".dockerignore", "**/target\n**/*.java\n!lib/src/main/java/Lib.java\n");
        String violations = String.join("\n", all(GOOD));
        assertThat(violations).contains(
                "stage build: COPY kit/src/main copies nothing: .dockerignore excludes every file under it",
                "1 file(s) of svc/src/main Maven compiles are not in the builder, e.g. svc/src/main/java/Svc.java (excluded by .dockerignore)");
        assertThat(violations).as("the ! exception lets Lib.java in").doesNotContain("lib/src/main/java/Lib.java");
    }

    @Test
    void aBuilderThatCannotRunItsMavenCommandIsReported() {
        String broken = GOOD.replace("# syntax=docker/dockerfile:1\n", "")
                .replace("COPY .mvn/wrapper/maven-wrapper.properties .mvn/wrapper/\n", "")
                .replace("COPY tool/pom.xml tool/\n", "")
                .replace("COPY kit/src/main/ kit/src/main/\n", "")
                .replace("sh mvnw -B -pl svc -am package -Dmaven.test.skip=true", "./mvnw -B -pl svc,nope package -DskipTests");
        assertThat(String.join("\n", ImageRules.builder(Dockerfile.parse(broken), context(), MavenReactor.read(root)))).contains(
                "runs ./mvnw neither as `sh mvnw` nor as an executable ./mvnw",
                ".mvn/wrapper/maven-wrapper.properties is not copied to /build/.mvn/wrapper/maven-wrapper.properties",
                "tool/pom.xml is not copied (Maven reads the pom of every module the root pom lists)",
                "-pl nope is not a module of the root pom",
                "without -am Maven looks for [lib, kit] in the Maven repository",
                "1 file(s) of kit/src/main Maven compiles are not in the builder, e.g. kit/src/main/java/Kit.java (not copied)",
                "1 file(s) of lib/src/test Maven compiles are not in the builder, e.g. lib/src/test/java/LibTest.java (excluded by .dockerignore)",
                "RUN --mount needs the first line # syntax=docker/dockerfile:1");
    }

    @Test
    void aBuilderWithoutTheMavenCacheOrRunningAsAnotherUserIsReported() throws IOException {
        String uncached = GOOD.replace("--mount=type=cache,target=/root/.m2", "--mount=type=cache,target=/home/default/.m2");
        assertThat(ImageRules.builder(Dockerfile.parse(uncached), context(), MavenReactor.read(root)))
                .containsExactly("builder stage build: the Maven command's RUN has no --mount=type=cache on /root/.m2, so every build downloads everything");
        String otherUser = GOOD.replace("WORKDIR /build\n", "WORKDIR /build\nUSER 185\n");
        assertThat(ImageRules.builder(Dockerfile.parse(otherUser), context(), MavenReactor.read(root))).singleElement().asString()
                .contains("runs as 185");
        write("svc/pom.xml", pom("svc", "<dependencies><dependency><groupId>x</groupId><artifactId>lib</artifactId><type>test-jar</type></dependency></dependencies>"));
        assertThat(ImageRules.builder(Dockerfile.parse(GOOD), context(), MavenReactor.read(root)))
                .containsExactly("builder stage build: svc needs the test-jar of lib, which -Dmaven.test.skip=true does not build");
    }

    @Test
    void copyingFromTheBuilderWhatItsMavenCommandDoesNotMakeIsReported() throws IOException {
        String broken = GOOD.replace("/build/svc/target/quarkus-app/app/", "/build/tool/target/quarkus-app/app/")
                .replace("/build/svc/target/quarkus-app/*.jar", "/build/svc/target/*-runner.jar");
        assertThat(String.join("\n", ImageRules.builderOutputs(Dockerfile.parse(broken), context(), MavenReactor.read(root)))).contains(
                "COPY --from=build /build/tool/target/quarkus-app/app/ is not the target/quarkus-app/ of a module the builder's Maven command builds (-pl [svc])",
                "COPY --from=build /build/svc/target/*-runner.jar is not the target/quarkus-app/");
        write("svc/pom.xml", pom("svc", "<dependencies><dependency><groupId>x</groupId><artifactId>lib</artifactId></dependency></dependencies>"));
        write("svc/src/main/resources/application.properties", "quarkus.package.jar.type=uber-jar\n");
        assertThat(String.join("\n", ImageRules.builderOutputs(Dockerfile.parse(GOOD), context(), MavenReactor.read(root))))
                .contains("svc has no quarkus-maven-plugin", "svc packages as uber-jar");
    }

    @Test
    void aServiceImageAsRootWithoutItsLayersPortOrHealthCheckIsReported() {
        String broken = GOOD.replace("EXPOSE 8081\n", "EXPOSE 8080\nUSER root\n")
                .replace("COPY --from=build --chown=185 /build/svc/target/quarkus-app/quarkus/ /deployments/quarkus/\n", "")
                .replace("127.0.0.1/8081", "127.0.0.1/8080");
        assertThat(String.join("\n", ImageRules.serviceImage(Dockerfile.parse(broken), context(), "svc", "svc", 8081))).contains(
                "non-root USER (last USER: root)", "does not copy the fast-jar layer: COPY --from=build --chown=185 /build/svc/target/quarkus-app/quarkus/",
                "does not EXPOSE 8081", "HEALTHCHECK does not ask /q/health/ready on port 8081");
        String otherRuntime = GOOD.replace("FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24 AS runtime", "FROM eclipse-temurin:17.0.17_10-jre AS runtime");
        assertThat(ImageRules.serviceImage(Dockerfile.parse(otherRuntime), context(), "svc", "svc", 8081)).singleElement().asString()
                .contains("base image eclipse-temurin:17.0.17_10-jre is not a pinned registry.access.redhat.com/ubi9/openjdk-17-runtime:<tag>");
        assertThat(ImageRules.serviceImage(Dockerfile.parse(GOOD), context(), "sv", "svc", 8081)).containsExactly("no stage sv");
    }

    @Test
    void composeBuildsOfMissingDockerfilesOrTargetsAreReported() throws IOException {
        write("Dockerfile", GOOD);
        Compose compose = Compose.parse("""
                services:
                  svc:
                    image: x/svc:1
                    build: {context: ., dockerfile: Dockerfile, target: svc}
                  typo:
                    image: x/typo:1
                    build: {context: ., target: sv}
                  last:
                    image: x/last:1
                    build: .
                  gone:
                    image: x/gone:1
                    build: {context: ./svc, dockerfile: src/main/docker/Dockerfile.jvm}
                  pulled:
                    image: postgres:17.6
                """);
        assertThat(ImageRules.composeBuilds(compose, root)).containsExactly(
                "typo: build target sv is no stage of Dockerfile",
                "last: no build target, so it would build the last stage of Dockerfile",
                "gone: Dockerfile svc/src/main/docker/Dockerfile.jvm does not exist");
    }

    @Test
    void dockerignoreMatchesAsBuildKitDoes() {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                **/target
                /.keyfleet/
                *.md
                docs/**
                !docs/keep.txt
                src/*/gen
                  **/.git
                !README.md
                """);
        assertThat(List.of("target", "a/target", "a/b/target/x.jar", ".keyfleet/run.json", "CHANGES.md", "docs/a.txt",
                "docs/sub/b.txt", "src/main/gen", "src/main/gen/X.java", ".git", "a/.git/config"))
                .allMatch(ignore::excludes);
        assertThat(List.of("targets", "a/targetx", "x/.keyfleet", "a/CHANGES.md", "docs", "docs/keep.txt", "README.md",
                "src/main/x/gen", "pom.xml"))
                .noneMatch(ignore::excludes);
        DockerIgnore lastWins = DockerIgnore.parse("!a/b\na\n");
        assertThat(lastWins.excludes("a/b")).as("a later exclusion wins over an earlier exception").isTrue();
        DockerIgnore allowList = DockerIgnore.parse("*\n!pom.xml\n!*/pom.xml\n");
        assertThat(allowList.excludes("svc/pom.xml")).isFalse();
        assertThat(allowList.excludes("svc/src/A.java")).isTrue();
        assertThat(DockerIgnore.matches("*.jar", "quarkus-run.jar")).isTrue();
        assertThat(DockerIgnore.matches("*.jar", "lib/a.jar")).isFalse();
    }

    @Test
    void dockerfileParsingFollowsContinuationsCommentsAndForms() {
        Dockerfile dockerfile = Dockerfile.parse(GOOD);
        assertThat(dockerfile.directives).containsEntry("syntax", "docker/dockerfile:1");
        assertThat(dockerfile.stages).extracting(Dockerfile.Stage::label).containsExactly("build", "runtime", "svc");
        Dockerfile.Instruction run = dockerfile.stages.get(0).all("RUN").get(0);
        assertThat(run.flag("mount")).hasValue("type=cache,target=/root/.m2");
        assertThat(run.text()).isEqualTo("sh mvnw -B -pl svc -am package -Dmaven.test.skip=true");
        assertThat(dockerfile.stages.get(1).all("ENTRYPOINT").get(0).args()).containsExactly("/opt/jboss/container/java/run/run-java.sh");
        assertThat(dockerfile.stages.get(0).workdir("/")).isEqualTo("/build");
        assertThat(dockerfile.chain(dockerfile.stages.get(2))).extracting(Dockerfile.Stage::label).containsExactly("runtime", "svc");
    }
}
