package io.keyfleet.bench.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code openssl speed -multi N -seconds S rsa2048}, run as a process; its summary line parsed. */
public final class OpensslSpeed {

    /** e.g. {@code rsa 2048 bits 0.000248s 0.000019s   4038.0  52282.9} */
    private static final Pattern RSA_LINE = Pattern.compile("(?m)^rsa\\s+2048 bits\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)\\s*$");

    public record Result(String version, int processes, double signPerSecond, double verifyPerSecond, String command) {
    }

    private OpensslSpeed() {
    }

    public static Result run(int processes, int seconds) throws IOException, InterruptedException {
        List<String> command = List.of("openssl", "speed", "-multi", String.valueOf(processes), "-seconds", String.valueOf(seconds), "rsa2048");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds * 4L + 60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl speed did not finish");
        }
        Matcher rsa = RSA_LINE.matcher(output);
        if (process.exitValue() != 0 || !rsa.find()) {
            throw new IOException("openssl speed gave no rsa 2048 line (exit " + process.exitValue() + "): " + output);
        }
        return new Result(version(), processes, Double.parseDouble(rsa.group(1)), Double.parseDouble(rsa.group(2)), String.join(" ", command));
    }

    /** Parsing only, for tests. */
    static double[] parse(String output) {
        Matcher rsa = RSA_LINE.matcher(output);
        return rsa.find() ? new double[] {Double.parseDouble(rsa.group(1)), Double.parseDouble(rsa.group(2))} : null;
    }

    private static String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
