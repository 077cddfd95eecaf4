package io.keyfleet.deploy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration names a service reads, taken from its sources: property keys of {@code .properties} files,
 * {@code ${ENV}} references in them, {@code @ConfigProperty(name=...)} and the properties of
 * {@code @ConfigMapping} interfaces (nested groups, kebab-case names). Environment names follow MicroProfile
 * Config's rule: upper case, every other character than a letter or digit becomes {@code _}.
 */
final class ConfigNames {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\([^)]*\\))?");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<type>\\b(?:interface|enum|class|record)\\s+(?<name>\\w+)[^{;]*\\{)"
                    + "|(?<method>(?<returns>[\\w.]+(?:<[\\w.<>?, \\[\\]]*>)?(?:\\[])?)\\s+(?<member>\\w+)\\s*\\(\\s*\\)\\s*;)"
                    + "|(?<open>\\{)|(?<close>})");

    private ConfigNames() {
    }

    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Key to value of a {@code .properties} text, in file order; keys keep their {@code %profile.} prefix. A line
     * ending in an unescaped backslash continues on the next one, whose leading blanks are dropped.
     */
    static Map<String, String> properties(String text) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : logicalLines(text)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Not a 'key=value' line: " + trimmed);
            }
            properties.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        return properties;
    }

    private static List<String> logicalLines(String text) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder pending = null;
        for (String line : text.split("\n")) {
            String part = pending == null ? line : line.stripLeading();
            boolean comment = pending == null && (part.strip().startsWith("#") || part.strip().startsWith("!"));
            boolean continues = !comment && endsInEscape(part);
            String kept = continues ? part.substring(0, part.length() - 1) : part;
            pending = pending == null ? new StringBuilder(kept) : pending.append(kept);
            if (!continues) {
                lines.add(pending.toString());
                pending = null;
            }
        }
        if (pending != null) {
            lines.add(pending.toString());
        }
        return lines;
    }

    private static boolean endsInEscape(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Property keys without their profile prefix ({@code %dev.a.b} is {@code a.b}). */
    static Set<String> propertyNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String key : properties(text).keySet()) {
            names.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        return names;
    }

    static Set<String> envReferences(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = ENV_REFERENCE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    static Set<String> configPropertyNames(String javaSource) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = CONFIG_PROPERTY.matcher(javaSource);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /**
     * The full property names of the {@code @ConfigMapping} interface in {@code javaSource} (none if it has none).
     * A member whose type (or {@code Optional<type>}) is an interface declared in the same file is a group.
     * Refuses {@code @WithName} and {@code @WithParentName}, which this reading does not follow.
     */
    static Set<String> configMappingProperties(String javaSource) {
        String code = javaSource.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
        Matcher mapping = CONFIG_MAPPING.matcher(code);
        if (!mapping.find()) {
            return Set.of();
        }
        if (code.contains("@WithName") || code.contains("@WithParentName")) {
            throw new IllegalArgumentException("@WithName/@WithParentName are not followed by this reading of @ConfigMapping;"
                    + " extend ConfigNames before relying on it");
        }
        String prefix = mapping.group(1);
        code = ANNOTATION.matcher(code.substring(mapping.end())).replaceAll(" ");

        Map<String, List<String[]>> members = new LinkedHashMap<>();
        Deque<String> scopes = new ArrayDeque<>();
        Matcher token = TOKEN.matcher(code);
        String root = null;
        while (token.find()) {
            if (token.group("type") != null) {
                boolean isInterface = token.group("type").startsWith("interface");
                String name = isInterface ? token.group("name") : "";
                scopes.push(name);
                if (isInterface) {
                    members.putIfAbsent(name, new java.util.ArrayList<>());
                    if (root == null) {
                        root = name;
                    }
                }
            } else if (token.group("method") != null) {
                if (!scopes.isEmpty() && members.containsKey(scopes.peek())) {
                    members.get(scopes.peek()).add(new String[] {token.group("returns"), token.group("member")});
                }
            } else if (token.group("open") != null) {
                scopes.push("");
            } else {
                scopes.pop();
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("@ConfigMapping without an interface after it");
        }
        Set<String> names = new LinkedHashSet<>();
        collect(root, prefix, members, names, 0);
        return names;
    }

    private static void collect(String iface, String prefix, Map<String, List<String[]>> members, Set<String> into, int depth) {
        if (depth > 10) {
            throw new IllegalArgumentException("@ConfigMapping groups nested deeper than 10 at " + prefix);
        }
        for (String[] member : members.get(iface)) {
            String type = member[0].replaceAll("^(?:java\\.util\\.)?Optional<(.+)>$", "$1");
            String name = prefix + "." + kebab(member[1]);
            if (members.containsKey(type)) {
                collect(type, name, members, into, depth + 1);
            } else {
                into.add(name);
            }
        }
    }
}
