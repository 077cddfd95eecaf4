package io.keyfleet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rules the Dockerfile must keep, read without a Docker engine: stages and base images, what the builder stage copies
 * from the build context (the repository less .dockerignore) against what Maven reads, what the service stages copy
 * from the builder against what its Maven command produces. Each returns its violations.
 */
final class ImageRules {

    static final String RUNTIME_BASE = "registry.access.redhat.com/ubi9/openjdk-17-runtime:";
    static final List<String> FAST_JAR_LAYERS = List.of("lib/", "*.jar", "app/", "quarkus/");
    /** Bases whose default user is root, so that the builder's Maven repository is /root/.m2. */
    private static final List<String> ROOT_BASES = List.of("eclipse-temurin:", "maven:");

    private ImageRules() {
    }

    /** The build context: a directory less what its .dockerignore excludes. */
    record Context(Path root, DockerIgnore ignore) {

        /** The context of {@code dockerfile} (relative to root): BuildKit prefers {@code <Dockerfile>.dockerignore}. */
        static Context of(Path root, String dockerfile) {
            for (Path ignoreFile : List.of(root.resolve(dockerfile + ".dockerignore"), root.resolve(".dockerignore"))) {
                if (Files.isRegularFile(ignoreFile)) {
                    return new Context(root, DockerIgnore.parse(Repo.read(ignoreFile)));
                }
            }
            return new Context(root, DockerIgnore.none());
        }

        /** Files on disk under {@code path} (or the file itself), relative to the root, with no regard to .dockerignore. */
        List<String> onDisk(String path) {
            Path start = root.resolve(path);
            if (!Files.exists(start)) {
                return List.of();
            }
            try (Stream<Path> walk = Files.walk(start)) {
                return walk.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/')).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** What the context holds under {@code path}: the files on disk that .dockerignore does not exclude. */
        List<String> sent(String path) {
            return onDisk(path).stream().filter(f -> !ignore.excludes(f)).toList();
        }

        /** Paths matching a COPY source with {@code *} or {@code ?} in its last part. */
        List<String> glob(String source) {
            int slash = source.lastIndexOf('/');
            String dir = slash < 0 ? "" : source.substring(0, slash);
            String pattern = source.substring(slash + 1);
            try (Stream<Path> list = Files.list(dir.isEmpty() ? root : root.resolve(dir))) {
                return list.map(p -> p.getFileName().toString()).filter(name -> DockerIgnore.matches(pattern, name))
                        .map(name -> dir.isEmpty() ? name : dir + "/" + name).sorted().toList();
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    /** The stage that runs the Maven Wrapper, what it copied from the context, and what its Maven command builds. */
    record Builder(Dockerfile.Stage stage, String workdir, Dockerfile.Instruction run, List<String> command,
                   List<String> projects, boolean alsoMake, boolean testsSkipped, Map<String, String> files) {

        /** Where a repository path of the context lands in the builder, if it is copied there. */
        boolean has(String repositoryPath) {
            return files.containsKey(workdir + "/" + repositoryPath);
        }

        String out(String module) {
            return workdir + "/" + module + "/target/quarkus-app/";
        }
    }

    static Optional<Builder> builder(Dockerfile dockerfile, Context context) {
        for (Dockerfile.Stage stage : dockerfile.stages) {
            for (Dockerfile.Instruction run : stage.all("RUN")) {
                List<String> command = List.of(run.text().split("\\s+"));
                if (command.stream().noneMatch(t -> t.equals("mvnw") || t.endsWith("/mvnw"))) {
                    continue;
                }
                List<String> projects = new ArrayList<>();
                for (int i = 0; i < command.size() - 1; i++) {
                    if (command.get(i).equals("-pl") || command.get(i).equals("--projects")) {
                        projects.addAll(List.of(command.get(i + 1).split(",")));
                    }
                }
                boolean alsoMake = command.contains("-am") || command.contains("--also-make");
                boolean testsSkipped = command.contains("-Dmaven.test.skip=true") || command.contains("-Dmaven.test.skip");
                return Optional.of(new Builder(stage, stage.workdir("/"), run, command, List.copyOf(projects), alsoMake,
                        testsSkipped, copiedFromContext(stage, context)));
            }
        }
        return Optional.empty();
    }

    /** Every file the stage's COPY/ADD instructions bring from the context: path in the image to path in the context. */
    static Map<String, String> copiedFromContext(Dockerfile.Stage stage, Context context) {
        Map<String, String> files = new LinkedHashMap<>();
        String workdir = "/";
        for (Dockerfile.Instruction instruction : stage.instructions()) {
            if (instruction.keyword().equals("WORKDIR")) {
                String path = instruction.args().get(0);
                workdir = DockerIgnore.clean(path.startsWith("/") ? path : workdir + "/" + path);
            }
            if (!isContextCopy(instruction) || instruction.args().size() < 2) {
                continue;
            }
            List<String> args = instruction.args();
            String rawDest = args.get(args.size() - 1);
            String dest = DockerIgnore.clean(rawDest.startsWith("/") ? rawDest : workdir + "/" + rawDest);
            boolean intoDirectory = rawDest.endsWith("/") || rawDest.equals(".") || args.size() > 2;
            for (String source : sources(instruction)) {
                for (String path : isGlob(source) ? context.glob(source) : List.of(source)) {
                    Path onDisk = context.root().resolve(path);
                    if (Files.isDirectory(onDisk)) {
                        for (String file : context.sent(path)) {
                            files.put(dest + "/" + file.substring(path.equals(".") ? 0 : path.length() + 1), file);
                        }
                    } else if (Files.isRegularFile(onDisk) && !context.ignore().excludes(path)) {
                        String name = path.substring(path.lastIndexOf('/') + 1);
                        files.put(intoDirectory || files.keySet().stream().anyMatch(f -> f.startsWith(dest + "/")) ? dest + "/" + name : dest, path);
                    }
                }
            }
        }
        return files;
    }

    /** Every FROM is an earlier stage or an image pinned to a tag or digest (never :latest, never a build argument). */
    static List<String> bases(Dockerfile dockerfile) {
        List<String> violations = new ArrayList<>();
        if (dockerfile.stages.isEmpty()) {
            violations.add("no FROM");
        }
        for (Dockerfile.Stage stage : dockerfile.stages) {
            if (dockerfile.earlierStage(stage.base(), stage.index()).isPresent()) {
                continue;
            }
            if (stage.base().contains("$") || !ManifestRules.isPinned(stage.base())) {
                violations.add("stage " + stage.label() + ": base image " + stage.base() + " is not pinned to a tag or digest (and not :latest)");
            }
        }
        return violations;
    }

    /** Every {@code COPY --from} names a stage defined before it. */
    static List<String> stageReferences(Dockerfile dockerfile) {
        List<String> violations = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages) {
            for (Dockerfile.Instruction copy : stage.all("COPY")) {
                copy.flag("from").filter(from -> dockerfile.earlierStage(from, stage.index()).isEmpty())
                        .ifPresent(from -> violations.add("stage " + stage.label() + ": COPY --from=" + from + " names no earlier stage"));
            }
        }
        return violations;
    }

    /** Every COPY/ADD source from the context exists in the repository and is not excluded by .dockerignore. */
    static List<String> contextSources(Dockerfile dockerfile, Context context) {
        List<String> violations = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages) {
            for (Dockerfile.Instruction copy : stage.instructions()) {
                if (!isContextCopy(copy)) {
                    continue;
                }
                String where = "stage " + stage.label() + ": " + copy.keyword() + " ";
                if (copy.args().size() < 2) {
                    violations.add(where + copy.text() + " has no destination");
                    continue;
                }
                for (String source : sources(copy)) {
                    if (source.contains("://")) {
                        violations.add(where + source + " is fetched from the network, not the repository");
                    } else if (source.equals("..") || source.startsWith("../")) {
                        violations.add(where + source + " is outside the build context");
                    } else if (isGlob(source)) {
                        if (context.glob(source).stream().noneMatch(p -> !context.sent(p).isEmpty())) {
                            violations.add(where + source + " matches nothing in the build context");
                        }
                    } else if (!Files.exists(context.root().resolve(source))) {
                        violations.add(where + source + " does not exist in the repository");
                    } else if (!source.equals(".") && context.ignore().excludes(source)) {
                        violations.add(where + source + " is excluded by .dockerignore");
                    } else if (context.sent(source).isEmpty()) {
                        violations.add(where + source + " copies nothing: .dockerignore excludes every file under it");
                    }
                }
            }
        }
        return violations;
    }

    /**
     * The builder can run its Maven command: the wrapper and its properties, the root pom and the pom of every module
     * it lists (Maven reads them all), the sources of every module {@code -pl ... -am} builds (tests too unless
     * maven.test.skip), the Maven repository in a cache mount, BuildKit's syntax for it.
     */
    static List<String> builder(Dockerfile dockerfile, Context context, MavenReactor reactor) {
        Optional<Builder> found = builder(dockerfile, context);
        if (found.isEmpty()) {
            return List.of("no stage runs the Maven Wrapper (mvnw)");
        }
        Builder builder = found.get();
        List<String> violations = new ArrayList<>();
        String where = "builder stage " + builder.stage().label() + ": ";
        List<String> command = builder.command();
        int wrapper = command.indexOf(command.stream().filter(t -> t.equals("mvnw") || t.endsWith("/mvnw")).findFirst().orElseThrow());
        boolean viaShell = wrapper > 0 && command.get(wrapper - 1).equals("sh");
        if (!viaShell && !(command.get(wrapper).equals("./mvnw") && Files.isExecutable(context.root().resolve("mvnw")))) {
            violations.add(where + "runs " + command.get(wrapper) + " neither as `sh mvnw` nor as an executable ./mvnw");
        }
        for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml")) {
            if (!builder.has(needed)) {
                violations.add(where + needed + " is not copied to " + builder.workdir() + "/" + needed);
            }
        }
        for (String module : reactor.moduleDirs) {
            if (!builder.has(module + "/pom.xml")) {
                violations.add(where + module + "/pom.xml is not copied (Maven reads the pom of every module the root pom lists)");
            }
        }
        if (builder.projects().isEmpty()) {
            violations.add(where + "the Maven command selects no modules (-pl)");
        }
        for (String project : builder.projects()) {
            if (!reactor.moduleDirs.contains(project)) {
                violations.add(where + "-pl " + project + " is not a module of the root pom");
            }
        }
        if (!command.contains("package")) {
            violations.add(where + "the Maven command does not run the package phase, so no target/quarkus-app is made");
        }
        Set<String> built = reactor.alsoMake(builder.projects());
        if (!builder.alsoMake() && built.size() > builder.projects().size()) {
            violations.add(where + "without -am Maven looks for " + built.stream().filter(m -> !builder.projects().contains(m)).toList()
                    + " in the Maven repository, where a fresh build has none");
        }
        if (!builder.testsSkipped() && !command.contains("-DskipTests")) {
            violations.add(where + "the Maven command runs the tests (they need PostgreSQL and Kafka)");
        }
        for (String module : built) {
            for (String sources : builder.testsSkipped() ? List.of("src/main") : List.of("src/main", "src/test")) {
                List<String> missing = context.onDisk(module + "/" + sources).stream().filter(f -> !builder.has(f)).toList();
                if (!missing.isEmpty()) {
                    violations.add(where + missing.size() + " file(s) of " + module + "/" + sources + " Maven compiles are not in the builder, e.g. "
                            + missing.get(0) + (context.ignore().excludes(missing.get(0)) ? " (excluded by .dockerignore)" : " (not copied)"));
                }
            }
            if (builder.testsSkipped()) {
                reactor.module(module).orElseThrow().dependencies().stream()
                        .filter(d -> d.type().equals("test-jar") || "tests".equals(d.classifier()))
                        .forEach(d -> violations.add(where + module + " needs the test-jar of " + d.artifactId()
                                + ", which -Dmaven.test.skip=true does not build"));
            }
        }
        List<String> cacheTargets = builder.run().flagValues("mount").stream().filter(m -> List.of(m.split(",")).contains("type=cache"))
                .flatMap(m -> Stream.of(m.split(","))).filter(p -> p.startsWith("target=") || p.startsWith("dst=") || p.startsWith("destination="))
                .map(p -> DockerIgnore.clean(p.substring(p.indexOf('=') + 1))).toList();
        String user = dockerfile.chain(builder.stage()).stream().flatMap(s -> s.all("USER").stream()).map(u -> u.args().get(0))
                .reduce((a, b) -> b).orElse(ROOT_BASES.stream().anyMatch(dockerfile.chain(builder.stage()).get(0).base()::startsWith) ? "root" : "unknown");
        if (!user.equals("root") && !user.equals("0")) {
            violations.add(where + "runs as " + user + " (say USER root, or base it on an image that runs as root): its Maven repository must be the cache mount /root/.m2");
        } else if (!cacheTargets.contains("/root/.m2") && !cacheTargets.contains("/root/.m2/repository")) {
            violations.add(where + "the Maven command's RUN has no --mount=type=cache on /root/.m2, so every build downloads everything");
        }
        boolean mounts = dockerfile.stages.stream().flatMap(s -> s.all("RUN").stream()).anyMatch(r -> r.flag("mount").isPresent());
        if (mounts && !dockerfile.directives.getOrDefault("syntax", "").startsWith("docker/dockerfile:1")) {
            violations.add("RUN --mount needs the first line # syntax=docker/dockerfile:1");
        }
        return violations;
    }

    /**
     * What later stages copy from the builder is what its Maven command makes: {@code <workdir>/<module>/target/quarkus-app/}
     * of a module it builds (-pl) that has the quarkus-maven-plugin and keeps the fast-jar layout.
     */
    static List<String> builderOutputs(Dockerfile dockerfile, Context context, MavenReactor reactor) {
        Optional<Builder> found = builder(dockerfile, context);
        if (found.isEmpty()) {
            return List.of("no stage runs the Maven Wrapper (mvnw)");
        }
        Builder builder = found.get();
        List<String> violations = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages) {
            for (Dockerfile.Instruction copy : stage.all("COPY")) {
                Optional<Dockerfile.Stage> from = copy.flag("from").flatMap(f -> dockerfile.earlierStage(f, stage.index()));
                if (from.isEmpty() || from.get().index() != builder.stage().index()) {
                    continue;
                }
                for (String source : sources(copy)) {
                    String module = builder.projects().stream().filter(m -> source.startsWith(builder.out(m))).findFirst().orElse(null);
                    String where = "stage " + stage.label() + ": COPY --from=" + builder.stage().label() + " " + source;
                    if (module == null) {
                        violations.add(where + " is not the target/quarkus-app/ of a module the builder's Maven command builds (-pl " + builder.projects() + ")");
                        continue;
                    }
                    Optional<MavenReactor.Module> pom = reactor.module(module);
                    if (pom.isEmpty() || !pom.get().plugins().contains("quarkus-maven-plugin")) {
                        violations.add(where + ": " + module + " has no quarkus-maven-plugin, so nothing makes target/quarkus-app");
                    }
                    Path properties = context.root().resolve(module + "/src/main/resources/application.properties");
                    String jarType = Files.isRegularFile(properties)
                            ? ConfigNames.properties(Repo.read(properties)).getOrDefault("quarkus.package.jar.type", "fast-jar") : "fast-jar";
                    if (!jarType.equals("fast-jar")) {
                        violations.add(where + ": " + module + " packages as " + jarType + ", not the fast-jar layout of target/quarkus-app");
                    }
                }
            }
        }
        return violations;
    }

    /**
     * The image of one service (stage {@code target}): the pinned OpenJDK 17 runtime, the module's fast-jar copied from
     * the builder in four layers, non-root, its port exposed, a health check on /q/health/ready, run-java.sh.
     */
    static List<String> serviceImage(Dockerfile dockerfile, Context context, String target, String module, int port) {
        Optional<Dockerfile.Stage> stage = dockerfile.stage(target);
        if (stage.isEmpty()) {
            return List.of("no stage " + target);
        }
        List<String> violations = new ArrayList<>();
        String where = "stage " + target + ": ";
        List<Dockerfile.Stage> chain = dockerfile.chain(stage.get());
        String base = chain.get(0).base();
        if (!base.startsWith(RUNTIME_BASE) || !ManifestRules.isPinned(base)) {
            violations.add(where + "base image " + base + " is not a pinned " + RUNTIME_BASE + "<tag>");
        }
        List<Dockerfile.Instruction> all = chain.stream().flatMap(s -> s.instructions().stream()).toList();
        String user = all.stream().filter(i -> i.keyword().equals("USER")).map(i -> i.args().get(0)).reduce((a, b) -> b).orElse(null);
        if (user == null || user.equals("root") || user.equals("0") || user.startsWith("0:") || user.startsWith("root:")) {
            violations.add(where + "the image does not end as a non-root USER (last USER: " + user + ")");
        }
        Optional<Builder> builder = builder(dockerfile, context);
        String from = builder.map(b -> b.stage().label()).orElse("?");
        String out = builder.map(b -> b.out(module)).orElse("?");
        for (String layer : FAST_JAR_LAYERS) {
            String dest = "/deployments/" + (layer.endsWith("/") ? layer : "");
            boolean copied = stage.get().all("COPY").stream().anyMatch(c -> c.flag("from").filter(from::equals).isPresent()
                    && c.flag("chown").filter("185"::equals).isPresent() && c.args().equals(List.of(out + layer, dest)));
            if (!copied) {
                violations.add(where + "does not copy the fast-jar layer: COPY --from=" + from + " --chown=185 " + out + layer + " " + dest);
            }
        }
        if (all.stream().noneMatch(i -> i.keyword().equals("EXPOSE") && i.args().contains(String.valueOf(port)))) {
            violations.add(where + "does not EXPOSE " + port);
        }
        String health = all.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).map(Dockerfile.Instruction::text).reduce((a, b) -> b).orElse(null);
        if (health == null || health.equals("NONE")) {
            violations.add(where + "no HEALTHCHECK");
        } else if (!health.contains("/" + port + " ") || !health.contains("/q/health/ready")) {
            violations.add(where + "HEALTHCHECK does not ask /q/health/ready on port " + port);
        }
        if (all.stream().noneMatch(i -> i.keyword().equals("ENV") && i.text().contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""))) {
            violations.add(where + "JAVA_APP_JAR is not /deployments/quarkus-run.jar");
        }
        if (all.stream().noneMatch(i -> i.keyword().equals("ENTRYPOINT") && i.args().equals(List.of("/opt/jboss/container/java/run/run-java.sh")))) {
            violations.add(where + "ENTRYPOINT is not run-java.sh");
        }
        return violations;
    }

    /** Every compose service with {@code build:} names an existing context, Dockerfile and target stage. */
    static List<String> composeBuilds(Compose compose, Path root) {
        List<String> violations = new ArrayList<>();
        for (String name : compose.services.keySet()) {
            Optional<Map<String, String>> build = compose.build(name);
            if (build.isEmpty()) {
                continue;
            }
            Path context = root.resolve(build.get().get("context")).normalize();
            Path file = context.resolve(build.get().getOrDefault("dockerfile", "Dockerfile"));
            if (!Files.isDirectory(context)) {
                violations.add(name + ": build context " + build.get().get("context") + " does not exist");
            } else if (!Files.isRegularFile(file)) {
                violations.add(name + ": Dockerfile " + root.relativize(file) + " does not exist");
            } else {
                Dockerfile dockerfile = Dockerfile.parse(Repo.read(file));
                String target = build.get().get("target");
                if (target == null && dockerfile.stages.size() > 1) {
                    violations.add(name + ": no build target, so it would build the last stage of " + root.relativize(file));
                } else if (target != null && dockerfile.stage(target).isEmpty()) {
                    violations.add(name + ": build target " + target + " is no stage of " + root.relativize(file));
                }
            }
        }
        return violations;
    }

    private static boolean isContextCopy(Dockerfile.Instruction instruction) {
        return (instruction.keyword().equals("COPY") || instruction.keyword().equals("ADD")) && instruction.flag("from").isEmpty();
    }

    private static List<String> sources(Dockerfile.Instruction copy) {
        List<String> args = copy.args();
        return args.subList(0, Math.max(0, args.size() - 1)).stream()
                .map(s -> s.contains("://") || copy.flag("from").isPresent() ? s : DockerIgnore.clean(s.startsWith("/") ? s.substring(1) : s))
                .toList();
    }

    private static boolean isGlob(String source) {
        return source.contains("*") || source.contains("?") || source.contains("[");
    }
}
