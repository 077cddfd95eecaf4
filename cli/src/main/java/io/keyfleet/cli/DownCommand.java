package io.keyfleet.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code ./keyfleet down}: asks the supervisor to stop (SIGTERM; the script has usually sent it already, see
 * {@link #SIGNALLED_PROPERTY}) and waits for it; then stops whatever recorded process is still alive (all of them when
 * the supervisor was killed before it could clean up): the services together, then Kafka, then PostgreSQL.
 */
final class DownCommand {

    /** Set by the {@code ./keyfleet} script to the supervisor's pid when it has sent it SIGTERM itself. */
    static final String SIGNALLED_PROPERTY = "keyfleet.down.signalled";
    private static final Duration SUPERVISOR_STOP_TIMEOUT = Duration.ofSeconds(150);
    /** Services whose supervisor was killed have lost Kafka too and may hang on shutdown: do not wait long. */
    private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ProjectLayout layout;
    private final PrintStream out;
    private final PrintStream err;

    DownCommand(ProjectLayout layout, PrintStream out, PrintStream err) {
        this.layout = layout;
        this.out = out;
        this.err = err;
    }

    int run() {
        OptionalLong signalled = signalledSupervisor();
        Optional<RunFile> runFile = RunFile.read(layout.runFile());
        if (runFile.isEmpty()) {
            Optional<ProcessHandle> stopping = signalled.isPresent() ? ProcessHandle.of(signalled.getAsLong())
                    .filter(DownCommand::isSupervisor) : Optional.empty();
            if (stopping.isEmpty()) {
                out.println(signalled.isPresent() ? "Stopped." : "Keyfleet is not running.");
                return 0;
            }
            // the script's SIGTERM came first and the supervisor has already cleaned up its run file
            out.println("Stopping Keyfleet (supervisor pid " + signalled.getAsLong() + ")...");
            if (!awaitExit(stopping.get(), SUPERVISOR_STOP_TIMEOUT)) {
                err.println("the supervisor (pid " + signalled.getAsLong() + ") is still running "
                        + SUPERVISOR_STOP_TIMEOUT.toSeconds() + " s after it was asked to stop");
                return 1;
            }
            out.println("Stopped.");
            return 0;
        }
        RunFile run = runFile.get();
        Optional<ProcessHandle> supervisor = run.supervisor().liveHandle();
        if (supervisor.isPresent()) {
            out.println("Stopping Keyfleet (supervisor pid " + run.supervisor().pid() + ")...");
            boolean asked = signalled.isPresent() && signalled.getAsLong() == run.supervisor().pid();
            if (!stop(supervisor.get(), SUPERVISOR_STOP_TIMEOUT, !asked)) {
                err.println("the supervisor (pid " + run.supervisor().pid() + ") did not stop within "
                        + SUPERVISOR_STOP_TIMEOUT.toSeconds() + " s; it was killed");
            }
        } else {
            out.println("The supervisor (pid " + run.supervisor().pid() + ") is gone; stopping the processes it left.");
        }
        boolean allStopped = stopLeftovers(run);
        RunFile.delete(layout.runFile());
        if (!allStopped) {
            return 1;
        }
        out.println("Stopped.");
        return 0;
    }

    /** The services all at once, then Kafka, then PostgreSQL; false if something could not be stopped at all. */
    private boolean stopLeftovers(RunFile run) {
        List<RunFile.Component> services = new ArrayList<>();
        List<RunFile.Component> kafka = new ArrayList<>();
        List<RunFile.Component> postgres = new ArrayList<>();
        for (RunFile.Component component : run.components()) {
            if (component.name().equals(Suite.POSTGRES)) {
                postgres.add(component);
            } else if (component.name().equals(Suite.KAFKA)) {
                kafka.add(component);
            } else {
                services.add(component);
            }
        }
        Collections.reverse(services);
        boolean allStopped = stopTogether(services);
        allStopped &= stopTogether(kafka);
        allStopped &= stopTogether(postgres);
        return allStopped;
    }

    private boolean stopTogether(List<RunFile.Component> components) {
        Map<RunFile.Component, ProcessHandle> running = new LinkedHashMap<>();
        for (RunFile.Component component : components) {
            component.liveProcess().ifPresent(process -> running.put(component, process));
        }
        running.forEach((component, process) -> {
            out.println("Stopping " + component.name() + " (pid " + process.pid() + ")");
            process.destroy();
        });
        long deadline = System.nanoTime() + LEFTOVER_STOP_TIMEOUT.toNanos();
        boolean allStopped = true;
        for (Map.Entry<RunFile.Component, ProcessHandle> entry : running.entrySet()) {
            ProcessHandle process = entry.getValue();
            if (awaitExit(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                continue;
            }
            process.destroyForcibly();
            if (awaitExit(process, Duration.ofSeconds(10))) {
                err.println(entry.getKey().name() + " did not stop within " + LEFTOVER_STOP_TIMEOUT.toSeconds()
                        + " s; it was killed");
            } else {
                err.println(entry.getKey().name() + " (pid " + process.pid() + ") is still running; kill it by hand");
                allStopped = false;
            }
        }
        return allStopped;
    }

    /**
     * The supervisor the {@code ./keyfleet} script has already sent SIGTERM (property {@link #SIGNALLED_PROPERTY}), so
     * that the stop began before this JVM had started; a second SIGTERM would only make it say "Already stopping".
     */
    private static OptionalLong signalledSupervisor() {
        String pid = System.getProperty(SIGNALLED_PROPERTY, "");
        try {
            return pid.isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isSupervisor(ProcessHandle process) {
        return process.isAlive() && process.info().commandLine().map(line -> line.contains(Keyfleet.class.getName()))
                .orElse(true);
    }

    /** SIGTERM (unless already sent), wait, SIGKILL if needed; true when it stopped after SIGTERM alone. */
    private static boolean stop(ProcessHandle process, Duration timeout, boolean sendSigterm) {
        if (sendSigterm) {
            process.destroy();
        }
        if (awaitExit(process, timeout)) {
            return true;
        }
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(10));
        return false;
    }

    /** The supervisor and what it left are not our children: polled (see {@link RunningSuite#awaitExit(long, Duration)}). */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        return RunningSuite.awaitExit(process.pid(), timeout);
    }
}
