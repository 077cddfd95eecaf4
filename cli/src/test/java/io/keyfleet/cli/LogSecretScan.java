package io.keyfleet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Searches log files for secrets, in the forms a log would show them: the value itself; for a PEM or a long base64
 * value (a private key) each 64-character line of its base64 body, which appears whether the log holds the PEM (raw or
 * with its line breaks escaped, as in JSON), the bare base64 or a part of it; and the same for the hex of its bytes.
 * A finding names the file, the line and what the secret is, never the secret.
 */
final class LogSecretScan {

    /** Shorter values are no secret worth looking for (and would be found by chance). */
    static final int MIN_LENGTH = 12;
    private static final int WINDOW = 64;
    private static final Pattern PEM_ARMOUR = Pattern.compile("-----(BEGIN|END) [A-Z ]+-----");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+=*");

    record Finding(Path file, int line, String what) {
        @Override
        public String toString() {
            return file + ":" + line + " holds " + what;
        }
    }

    private LogSecretScan() {
    }

    /** What to look for to find one secret. */
    static Set<String> needles(String secret) {
        Set<String> needles = new LinkedHashSet<>();
        String value = secret.strip();
        if (value.length() < MIN_LENGTH) {
            return needles;
        }
        String body = PEM_ARMOUR.matcher(value).replaceAll("").replace("\\n", "").replaceAll("\\s", "");
        boolean pem = !body.equals(value.replaceAll("\\s", ""));
        if ((pem || body.length() > 2 * WINDOW) && BASE64.matcher(body).matches()) {
            for (int start = 0; start + WINDOW <= body.length(); start += WINDOW) {
                needles.add(body.substring(start, start + WINDOW));
            }
            try {
                String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(body));
                for (int start = 0; start + WINDOW <= hex.length(); start += WINDOW) {
                    needles.add(hex.substring(start, start + WINDOW));
                }
            } catch (IllegalArgumentException e) {
                // not whole base64: its text windows are enough
            }
            if (needles.isEmpty()) {
                needles.add(body);
            }
        } else {
            needles.add(value);
        }
        return needles;
    }

    /**
     * Every line of every file holding one of the secrets (described by their labels). Each line is looked at once per
     * needle length, window by window, so the cost grows with the logs, not with the number of secrets.
     */
    static List<Finding> scan(Map<String, String> secretsByWhat, List<Path> files) {
        Map<Integer, Map<String, String>> whatByNeedle = new java.util.TreeMap<>();
        secretsByWhat.forEach((what, secret) -> needles(secret).forEach(needle ->
                whatByNeedle.computeIfAbsent(needle.length(), length -> new java.util.HashMap<>()).putIfAbsent(needle, what)));
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Set<String> found = new LinkedHashSet<>();
                whatByNeedle.forEach((length, needles) -> {
                    for (int start = 0; start + length <= line.length(); start++) {
                        String what = needles.get(line.substring(start, start + length));
                        if (what != null) {
                            found.add(what);
                        }
                    }
                });
                int number = i + 1;
                found.forEach(what -> findings.add(new Finding(file, number, what)));
            }
        }
        return findings;
    }
}
