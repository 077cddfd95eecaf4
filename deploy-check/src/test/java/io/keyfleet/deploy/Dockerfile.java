package io.keyfleet.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as stages of instructions, read the way BuildKit reads one: parser directives ({@code # syntax=...})
 * before anything else, {@code \} continues a line, comment lines vanish (also inside a continued instruction),
 * keywords in any case, {@code --flag=value} options before the arguments, JSON (exec) or whitespace (shell) form.
 */
final class Dockerfile {

    /** One instruction: its keyword in upper case, its {@code --flags} in order, its arguments, and those as written. */
    record Instruction(String keyword, List<String> flags, List<String> args, String text) {

        /** The value of {@code --name=value}, the first one if given twice. */
        Optional<String> flag(String name) {
            return flags.stream().filter(f -> f.startsWith("--" + name + "=")).map(f -> f.substring(name.length() + 3)).findFirst();
        }

        List<String> flagValues(String name) {
            return flags.stream().filter(f -> f.startsWith("--" + name + "=")).map(f -> f.substring(name.length() + 3)).toList();
        }
    }

    /** {@code FROM base [AS name]} and what follows it up to the next FROM. */
    record Stage(int index, String base, String name, List<Instruction> instructions) {

        String label() {
            return name != null ? name : "#" + index;
        }

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The working directory after all WORKDIR instructions of this stage (relative ones resolve on the previous). */
        String workdir(String inherited) {
            String dir = inherited;
            for (Instruction workdir : all("WORKDIR")) {
                String path = workdir.args().get(0);
                dir = DockerIgnore.clean(path.startsWith("/") ? path : dir + "/" + path);
            }
            return dir;
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*$");
    private static final Pattern FROM = Pattern.compile("(?i)^(\\S+)(?:\\s+AS\\s+(\\S+))?$");

    final Map<String, String> directives;
    final List<Stage> stages;

    private Dockerfile(Map<String, String> directives, List<Stage> stages) {
        this.directives = directives;
        this.stages = stages;
    }

    static Dockerfile parse(String text) {
        Map<String, String> directives = new LinkedHashMap<>();
        List<String> lines = List.of(text.split("\n", -1));
        int n = 0;
        for (; n < lines.size(); n++) {
            Matcher directive = DIRECTIVE.matcher(lines.get(n));
            if (!directive.matches()) {
                break;
            }
            directives.put(directive.group(1).toLowerCase(), directive.group(2));
        }
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder logical = new StringBuilder();
        for (; n < lines.size(); n++) {
            String line = lines.get(n);
            String stripped = line.strip();
            if (stripped.startsWith("#") || stripped.isEmpty()) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                logical.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            logical.append(stripped);
            String instruction = logical.toString().strip();
            logical.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            Instruction parsed = instruction(instruction);
            if (parsed.keyword().equals("FROM")) {
                Matcher from = FROM.matcher(String.join(" ", parsed.args()));
                if (!from.matches()) {
                    throw new IllegalArgumentException("Cannot read: " + instruction);
                }
                current = new ArrayList<>();
                stages.add(new Stage(stages.size(), from.group(1), from.group(2), current));
            } else if (current == null) {
                if (!parsed.keyword().equals("ARG")) {
                    throw new IllegalArgumentException(parsed.keyword() + " before the first FROM");
                }
            } else {
                current.add(parsed);
            }
        }
        return new Dockerfile(directives, stages);
    }

    private static Instruction instruction(String line) {
        int space = line.indexOf(' ');
        String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase();
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        List<String> flags = new ArrayList<>();
        while (rest.startsWith("--")) {
            int end = rest.indexOf(' ');
            flags.add(end < 0 ? rest : rest.substring(0, end));
            rest = end < 0 ? "" : rest.substring(end + 1).strip();
        }
        List<String> args = new ArrayList<>();
        if (rest.startsWith("[") && rest.endsWith("]")) {
            Matcher element = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(rest);
            while (element.find()) {
                args.add(element.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
        } else if (!rest.isEmpty()) {
            args.addAll(List.of(rest.split("\\s+")));
        }
        return new Instruction(keyword, List.copyOf(flags), List.copyOf(args), rest);
    }

    /** The stage called {@code name} (or with that index), defined before stage {@code before}. */
    Optional<Stage> earlierStage(String name, int before) {
        for (Stage stage : stages.subList(0, before)) {
            if (name.equalsIgnoreCase(stage.name()) || name.equals(String.valueOf(stage.index()))) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }

    Optional<Stage> stage(String name) {
        return earlierStage(name, stages.size());
    }

    /** The stage and the stages it is built on, base first. */
    List<Stage> chain(Stage stage) {
        List<Stage> chain = new ArrayList<>();
        for (Stage s = stage; s != null; s = earlierStage(s.base(), s.index()).orElse(null)) {
            chain.add(0, s);
        }
        return chain;
    }
}
