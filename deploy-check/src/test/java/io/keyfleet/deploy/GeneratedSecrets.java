package io.keyfleet.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The deployments' secrets as their own scripts make them, run here the way they run there (bash, coreutils, gzip):
 * compose's secrets-init ({@value #COMPOSE_SCRIPT}) and the dev overlay's make-secrets.sh ({@value #DEV_SCRIPT}).
 */
final class GeneratedSecrets {

    static final String COMPOSE_SCRIPT = "deploy/compose/secrets/make-secrets.sh";
    static final String DEV_SCRIPT = "deploy/k8s/overlays/dev/make-secrets.sh";

    private static Path composeRoot;
    private static Path deployCopy;

    private GeneratedSecrets() {
    }

    /** SECRETS_ROOT of one run of compose's secrets-init (made once per test JVM): a directory per secrets-* volume. */
    static synchronized Path compose() {
        if (composeRoot == null) {
            composeRoot = temporaryDirectory("compose-secrets");
            runCompose(composeRoot, Map.of());
        }
        return composeRoot;
    }

    /** Runs compose's secrets-init into {@code root} with these variables (as .env would give them). */
    static void runCompose(Path root, Map<String, String> environment) {
        Map<String, String> variables = new TreeMap<>(environment);
        variables.put("SECRETS_ROOT", root.toString());
        bash(Repo.path(COMPOSE_SCRIPT), variables);
    }

    /** The files of one directory of a secrets root, name to content. */
    static Map<String, String> files(Path directory) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * A copy of deploy/ (made once per test JVM) whose dev overlay has the secrets/*.env its make-secrets.sh makes, so
     * that {@code kubectl kustomize} renders it as on a workstation; the repository's own secrets/ is never read.
     */
    static synchronized Path deployCopy() {
        if (deployCopy == null) {
            Path copy = temporaryDirectory("deploy").resolve("deploy");
            Path source = Repo.path("deploy");
            Path ownSecrets = Repo.path("deploy/k8s/overlays/dev/secrets");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(f -> !f.startsWith(ownSecrets)).toList()) {
                    Path target = copy.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot copy deploy/", e);
            }
            bash(copy.resolve(Repo.ROOT.resolve("deploy").relativize(Repo.path(DEV_SCRIPT)).toString()), Map.of());
            deployCopy = copy;
        }
        return deployCopy;
    }

    static void bash(Path script, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        try {
            File output = File.createTempFile("script", ".out");
            output.deleteOnExit();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(script + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " failed (exit " + process.exitValue() + "):\n" + Files.readString(output.toPath()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + script, e);
        }
    }

    static Path temporaryDirectory(String prefix) {
        try {
            Path directory = Files.createTempDirectory("keyfleet-" + prefix);
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
