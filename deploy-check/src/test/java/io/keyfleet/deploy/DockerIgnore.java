package io.keyfleet.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} as BuildKit reads it (moby/patternmatcher): one pattern a line, {@code #} lines are comments,
 * a leading {@code /} is dropped and the pattern is cleaned like a path; {@code *} and {@code ?} never match {@code /},
 * {@code **} matches any number of directories (none included); a pattern matches a path whole (not at any depth as in
 * .gitignore); a path is excluded when the last pattern that matches it or one of its parent directories is not a
 * {@code !} exception.
 */
final class DockerIgnore {

    private record Rule(boolean exception, Pattern regex) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1).strip();
            }
            pattern = clean(pattern);
            if (pattern.length() > 1 && pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            rules.add(new Rule(exception, Pattern.compile(regex(pattern))));
        }
        return new DockerIgnore(rules);
    }

    /** Whether the file or directory at {@code path} (relative to the context, {@code /}-separated) stays out. */
    boolean excludes(String path) {
        String file = clean(path);
        int slash = file.lastIndexOf('/');
        String[] parents = slash < 0 ? new String[0] : file.substring(0, slash).split("/");
        boolean excluded = false;
        for (Rule rule : rules) {
            // an exception can only re-include what is excluded so far; an exclusion only matters for what is not
            if (rule.exception() != excluded) {
                continue;
            }
            boolean match = rule.regex().matcher(file).matches();
            for (int i = 0; !match && i < parents.length; i++) {
                match = rule.regex().matcher(String.join("/", java.util.Arrays.copyOfRange(parents, 0, i + 1))).matches();
            }
            if (match) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /** Whether {@code path} matches {@code pattern} whole, with the wildcards of .dockerignore (and of COPY sources). */
    static boolean matches(String pattern, String path) {
        return Pattern.compile(regex(clean(pattern))).matcher(clean(path)).matches();
    }

    /** Go's filepath.Clean for relative, {@code /}-separated paths: no empty, {@code .} or resolvable {@code ..} parts. */
    static String clean(String path) {
        boolean absolute = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                parts.remove(parts.size() - 1);
            } else if (!(part.equals("..") && absolute)) {
                parts.add(part);
            }
        }
        String joined = String.join("/", parts);
        return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    /** The pattern as a regular expression, the way patternmatcher compiles it. */
    private static String regex(String pattern) {
        StringBuilder regex = new StringBuilder("^");
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    regex.append(i + 1 == pattern.length() ? ".*" : "(.*/)?");
                } else {
                    regex.append("[^/]*");
                }
            } else if (ch == '?') {
                regex.append("[^/]");
            } else if (ch == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (ch == '[' || ch == ']') {
                regex.append(ch);
            } else {
                regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return regex.append('$').toString();
    }
}
