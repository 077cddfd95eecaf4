package io.keyfleet.bench.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark found: sections of figures, the ratios against references measured in the same run, and the
 * targets with met / not met. Printed as a table and written as JSON ({@code <name>-<timestamp>.json}).
 */
public final class Report {

    private static final int LABEL_WIDTH = 62;
    private static final int VALUE_WIDTH = 12;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String benchmark;
    private final String title;
    private final Instant startedAt = Instant.now();
    private Instant finishedAt;
    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String benchmark, String title) {
        this.benchmark = benchmark;
        this.title = title;
    }

    public String benchmark() {
        return benchmark;
    }

    /** Something about the machine or the setup that the figures depend on (cores, versions, settings). */
    public Report environment(String key, Object value) {
        environment.put(key, value);
        return this;
    }

    public Section section(String key, String title) {
        Section section = new Section(key, title);
        sections.add(section);
        return section;
    }

    /**
     * A ratio of a measured figure to its reference from the same run.
     *
     * @param meaning how to read it, e.g. "how much latency the outbox adds on top of Kafka"
     */
    public Report ratio(String key, String label, double measured, String measuredShown, double reference,
                        String referenceShown, String meaning) {
        ratios.add(new Ratio(key, label, measured / reference, measuredShown, referenceShown, meaning));
        return this;
    }

    public Report target(String key, String label, boolean met, String measured) {
        targets.add(new Target(key, label, met, measured));
        return this;
    }

    public Report note(String text) {
        notes.add(text);
        return this;
    }

    public boolean allTargetsMet() {
        return targets.stream().allMatch(Target::met);
    }

    public Report finish() {
        finishedAt = Instant.now();
        return this;
    }

    // ---------------------------------------------------------------- text

    public String render() {
        StringBuilder out = new StringBuilder();
        String heading = "Keyfleet benchmark: " + benchmark + " — " + title;
        out.append(heading).append('\n').append("=".repeat(heading.length())).append('\n');
        environment.forEach((key, value) -> out.append(String.format(Locale.ROOT, "  %-18s %s%n", key, value)));
        for (Section section : sections) {
            out.append('\n').append(section.title).append('\n');
            for (Row row : section.rows) {
                if (row.label != null) { // JSON-only rows have no label
                    out.append(line(row.label, row.shown, row.unit));
                }
            }
        }
        if (!ratios.isEmpty()) {
            out.append("\nRatios (measured / reference, both from this run)\n");
            for (Ratio ratio : ratios) {
                out.append(line(ratio.label, format(ratio.value, 2), "×   " + ratio.measuredShown + " / " + ratio.referenceShown));
                out.append("      ").append(ratio.meaning).append('\n');
            }
        }
        if (!targets.isEmpty()) {
            out.append("\nTargets\n");
            for (Target target : targets) {
                out.append(String.format(Locale.ROOT, "  %-9s %s%n            measured: %s%n",
                        target.met ? "[MET]" : "[NOT MET]", target.label, target.measured));
            }
        }
        if (!notes.isEmpty()) {
            out.append("\nNotes\n");
            notes.forEach(note -> out.append("  - ").append(note).append('\n'));
        }
        return out.toString();
    }

    private static String line(String label, String value, String unit) {
        String shownLabel = label.length() >= LABEL_WIDTH ? label : label + " " + ".".repeat(LABEL_WIDTH - label.length() - 1);
        return String.format(Locale.ROOT, "  %s %" + VALUE_WIDTH + "s %s%n", shownLabel, value, unit == null ? "" : unit).stripTrailing() + "\n";
    }

    static String format(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    // ---------------------------------------------------------------- JSON

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", benchmark);
        json.put("title", title);
        json.put("startedAt", startedAt.toString());
        json.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        json.put("environment", environment);
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Section section : sections) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("title", section.title);
            section.rows.forEach(row -> values.put(row.key, row.value));
            figures.put(section.key, values);
        }
        json.put("sections", figures);
        Map<String, Object> ratioJson = new LinkedHashMap<>();
        for (Ratio ratio : ratios) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("label", ratio.label);
            value.put("value", finite(ratio.value));
            value.put("measured", ratio.measuredShown);
            value.put("reference", ratio.referenceShown);
            value.put("meaning", ratio.meaning);
            ratioJson.put(ratio.key, value);
        }
        json.put("ratios", ratioJson);
        Map<String, Object> targetJson = new LinkedHashMap<>();
        for (Target target : targets) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("label", target.label);
            value.put("met", target.met);
            value.put("measured", target.measured);
            targetJson.put(target.key, value);
        }
        json.put("targets", targetJson);
        json.put("notes", notes);
        return json;
    }

    /** Writes {@code <dir>/<benchmark>-<UTC timestamp>.json} and returns its path. */
    public Path writeJson(Path directory) {
        Path file = directory.resolve(benchmark + "-" + FILE_TIME.format(startedAt) + ".json");
        try {
            Files.createDirectories(directory);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(file, mapper.writeValueAsString(toJson()) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    private static Object finite(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    // ---------------------------------------------------------------- parts

    /** A group of figures; each has a JSON key, a label for the table, a value and a unit. */
    public static final class Section {
        private final String key;
        private final String title;
        private final List<Row> rows = new ArrayList<>();

        private Section(String key, String title) {
            this.key = key;
            this.title = title;
        }

        public Section count(String key, String label, long value) {
            rows.add(new Row(key, label, value, String.format(Locale.ROOT, "%,d", value), ""));
            return this;
        }

        public Section millis(String key, String label, double value) {
            rows.add(new Row(key, label, finite(round(value, 3)), format(value, value < 10 ? 2 : 1), "ms"));
            return this;
        }

        public Section seconds(String key, String label, double value) {
            rows.add(new Row(key, label, finite(round(value, 3)), format(value, 2), "s"));
            return this;
        }

        public Section perSecond(String key, String label, double value) {
            rows.add(new Row(key, label, finite(round(value, 1)), format(value, 0), "/s"));
            return this;
        }

        /** A rate shown with {@code decimals} decimals (for small rates such as 11.4/s). */
        public Section perSecond(String key, String label, double value, int decimals) {
            rows.add(new Row(key, label, finite(round(value, Math.max(1, decimals))), format(value, decimals), "/s"));
            return this;
        }

        /** p50 / p99 / max on one line, with the count; the JSON keeps every figure of {@link Latencies#toMap()}. */
        public Section latencies(String key, String label, Latencies latencies) {
            Map<String, Object> values = new LinkedHashMap<>();
            latencies.toMap().forEach((name, value) -> values.put(name,
                    value instanceof Double number ? finite(round(number, 3)) : value));
            String shown = ms(latencies.p50Ms()) + " / " + ms(latencies.p99Ms()) + " / " + ms(latencies.maxMs());
            rows.add(new Row(key, label, values, shown, String.format(Locale.ROOT, "ms  p50 / p99 / max of %,d", latencies.count())));
            return this;
        }

        private static String ms(double value) {
            return format(value, value < 10 ? 2 : value < 1000 ? 1 : 0);
        }

        public Section text(String key, String label, String value) {
            rows.add(new Row(key, label, value, value, ""));
            return this;
        }

        /** A yes/no figure; {@code detail} (may be empty) is shown after it and kept in the JSON as {@code <key>Detail}. */
        public Section flag(String key, String label, boolean value, String detail) {
            rows.add(new Row(key, label, value, value ? "yes" : "NO", detail));
            if (detail != null && !detail.isEmpty()) {
                rows.add(new Row(key + "Detail", null, detail, null, null));
            }
            return this;
        }

        private static double round(double value, int decimals) {
            double scale = Math.pow(10, decimals);
            return Math.round(value * scale) / scale;
        }
    }

    private record Row(String key, String label, Object value, String shown, String unit) {
    }

    private record Ratio(String key, String label, double value, String measuredShown, String referenceShown, String meaning) {
    }

    private record Target(String key, String label, boolean met, String measured) {
    }
}
