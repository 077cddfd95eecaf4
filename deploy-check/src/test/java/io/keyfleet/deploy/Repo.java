package io.keyfleet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's files, found from the module directory upwards (Maven runs the tests in deploy-check/). */
final class Repo {

    static final Path ROOT = locate();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ROOT.relativize(file.toAbsolutePath()), e);
        }
    }

    /** Every {@code .java} file under {@code relativeDir}. */
    static List<Path> javaSources(String relativeDir) {
        try (Stream<Path> files = Files.walk(path(relativeDir))) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy/k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No docker-compose.yml with deploy/k8s beside it above " + Path.of("").toAbsolutePath());
    }
}
