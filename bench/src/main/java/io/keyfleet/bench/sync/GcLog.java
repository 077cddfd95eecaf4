package io.keyfleet.bench.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sync-service's heap as its GC log ({@code -Xlog:gc:file=...}) tells it: every pause logs the heap used before and
 * after it, e.g. {@code Pause Young (Normal) (G1 Evacuation Pause) 52M->9M(256M) 3.1ms}. A window is the lines added
 * between two marks; the benchmark ends each window with a forced GC ({@code jcmd PID GC.run}) so the heap used at its
 * end is logged too.
 */
final class GcLog {

    private static final Pattern PAUSE = Pattern.compile("Pause (Young|Full|Remark|Cleanup)[^\\n]*? (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** @param peakUsedMb the most heap used at any logged pause (before collecting); liveMb the most left after a collection */
    record Window(int pauses, long peakUsedMb, long liveMb, long lastLiveMb, long committedMb) {
    }

    private final Path file;

    GcLog(Path file) {
        this.file = file;
    }

    /** Lines logged so far: the start of a window. */
    int mark() throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
    }

    Window since(int mark) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int pauses = 0;
        long peak = 0;
        long live = 0;
        long lastLive = 0;
        long committed = 0;
        for (String line : lines.subList(Math.min(mark, lines.size()), lines.size())) {
            Matcher matcher = PAUSE.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            pauses++;
            peak = Math.max(peak, Long.parseLong(matcher.group(2)));
            committed = Math.max(committed, Long.parseLong(matcher.group(4)));
            if (matcher.group(1).equals("Young") || matcher.group(1).equals("Full")) {
                long after = Long.parseLong(matcher.group(3));
                live = Math.max(live, after);
                lastLive = after;
            }
        }
        return new Window(pauses, peak, live, lastLive, committed);
    }

    /** Asks the JVM for a full collection (System.gc()), which logs the heap used at this moment. */
    static void forceGc(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " GC.run did not end within 30 s");
        }
        Thread.sleep(200); // the log line is written right after the pause
    }
}
