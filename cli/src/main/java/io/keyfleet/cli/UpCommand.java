package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.HealthProbe;

import io.keyfleet.localstack.LocalPorts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./keyfleet up}: starts the whole suite with the default ports and {@code .keyfleet/} as data directory, keeps
 * {@code .keyfleet/run.json} up to date, and supervises until a stop signal; then stops everything in reverse order.
 */
final class UpCommand {

    static final int EXIT_CANCELLED = 130;
    /**
     * For tests that run the real supervisor next to other suites: free ports instead of the defaults (the run file
     * records them, so {@code status} and {@code down} work as usual).
     */
    static final String ANY_FREE_PORTS_PROPERTY = "keyfleet.anyFreePorts";
    private static final Duration MONITOR_INTERVAL = Duration.ofSeconds(2);

    private final ProjectLayout layout;
    private final Duration readinessTimeout;
    private final PrintStream out;
    private final PrintStream err;

    UpCommand(ProjectLayout layout, Duration readinessTimeout, PrintStream out, PrintStream err) {
        this.layout = layout;
        this.readinessTimeout = readinessTimeout;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        Files.createDirectories(layout.stateDirectory());
        // the operating system releases the lock when this process ends, however it ends
        try (FileChannel lockChannel = FileChannel.open(layout.supervisorLock(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                err.println("keyfleet up: Keyfleet is already running" + supervisorPidNote()
                        + "; see ./keyfleet status, or stop it with ./keyfleet down");
                return 1;
            }
            Optional<String> leftovers = leftoversOfPreviousRun();
            if (leftovers.isPresent()) {
                err.println("keyfleet up: " + leftovers.get());
                return 1;
            }
            return supervise();
        }
    }

    private int supervise() {
        StopRequest stopRequest = new StopRequest(Thread.currentThread(), out);
        ProgressPrinter progress = new ProgressPrinter();
        Suite.Builder builder = Suite.builder(layout.root())
                .dataDirectory(layout.stateDirectory())
                .readinessTimeout(readinessTimeout)
                .listener(progress);
        if (Boolean.getBoolean(ANY_FREE_PORTS_PROPERTY)) {
            builder.anyFreePorts();
        }
        Suite suite = builder.build();
        progress.startRunFile(suite);
        stopRequest.installSignalHandlers();
        out.println("Starting Keyfleet: PostgreSQL, Kafka and " + suite.services().size() + " services"
                + " (data and logs in " + layout.root().relativize(layout.stateDirectory()) + "/, start-up timeout "
                + readinessTimeout.toSeconds() + " s)");
        RunningSuite running = null;
        try {
            running = suite.start();
            stopRequest.startupFinished();
            out.println();
            out.print(ComponentTable.render(rowsOf(running)));
            out.println();
            out.println("Keyfleet is up. Ctrl-C or ./keyfleet down stops it; ./keyfleet logs NAME follows a log.");
            superviseUntilStopRequested(running, stopRequest);
            return 0;
        } catch (SuiteStartException e) {
            if (e.isCancelled() || stopRequest.isRequested()) {
                out.println("Start-up cancelled; everything started so far has been stopped.");
                return EXIT_CANCELLED;
            }
            err.println("keyfleet up failed: " + e.reason()
                    + (progress.hasStoppedAfterFailure() ? "; everything it started has been stopped." : ""));
            return 1;
        } finally {
            if (running != null) {
                running.stop();
                out.println("Keyfleet stopped.");
            }
            RunFile.delete(layout.runFile());
        }
    }

    private void superviseUntilStopRequested(RunningSuite running, StopRequest stopRequest) {
        Set<String> reported = new HashSet<>();
        try {
            while (!stopRequest.await(MONITOR_INTERVAL)) {
                for (String component : running.componentsNotRunning()) {
                    if (reported.add(component)) {
                        err.println(describeExit(running, component) + "; the rest keeps running. Its log: "
                                + layout.root().relativize(layout.logOf(component).orElseThrow()));
                    }
                }
            }
        } catch (InterruptedException e) {
            // a stop requested just as the start-up finished: stop now
        }
    }

    private static String describeExit(RunningSuite running, String component) {
        return KeyfleetService.byModuleName(component)
                .flatMap(running::exitCode)
                .map(code -> component + " has exited with code " + code)
                .orElse(component + " has stopped");
    }

    private List<ComponentTable.Row> rowsOf(RunningSuite running) {
        HealthProbe probe = new HealthProbe();
        Map<String, Long> pids = running.processIds();
        List<ComponentTable.Row> rows = new ArrayList<>();
        running.ports().forEach((component, port) -> {
            Health health = KeyfleetService.byModuleName(component)
                    .map(service -> probe.isReady(running.baseUrl(service)) ? Health.UP : Health.DOWN)
                    .orElseGet(() -> LocalPorts.isAccepting(port) ? Health.UP : Health.DOWN);
            rows.add(new ComponentTable.Row(component, pids.get(component), port, health));
        });
        return rows;
    }

    private String supervisorPidNote() {
        try {
            return RunFile.read(layout.runFile()).map(run -> " (supervisor pid " + run.supervisor().pid() + ")").orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** A run file left by a supervisor that was killed: are its processes still there? */
    private Optional<String> leftoversOfPreviousRun() {
        Optional<RunFile> previous;
        try {
            previous = RunFile.read(layout.runFile());
        } catch (RuntimeException e) {
            RunFile.delete(layout.runFile()); // unreadable and nobody holds the lock: nothing to learn from it
            return Optional.empty();
        }
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        List<String> alive = previous.get().components().stream()
                .filter(component -> component.liveProcess().isPresent())
                .map(component -> component.name() + " (pid " + component.process().pid() + ")")
                .collect(Collectors.toList());
        if (alive.isEmpty()) {
            RunFile.delete(layout.runFile());
            return Optional.empty();
        }
        return Optional.of("a previous run (supervisor pid " + previous.get().supervisor().pid() + ") left "
                + String.join(", ", alive) + " running; stop them with ./keyfleet down");
    }

    /** Prints one line per component as it becomes ready or stops, and records each process in the run file. */
    private final class ProgressPrinter implements SuiteListener {

        private final Map<String, Integer> ports = new HashMap<>();
        private RunFile runFile;
        private boolean stoppedAfterFailure;

        void startRunFile(Suite suite) {
            List<RunFile.Component> components = new ArrayList<>();
            components.add(new RunFile.Component(Suite.POSTGRES, suite.configuredPort(Suite.POSTGRES).orElseThrow(), null));
            components.add(new RunFile.Component(Suite.KAFKA, suite.configuredPort(Suite.KAFKA).orElseThrow(), null));
            for (KeyfleetService service : suite.services()) {
                components.add(new RunFile.Component(service.moduleName(),
                        suite.configuredPort(service.moduleName()).orElseThrow(), null));
            }
            runFile = new RunFile(RunFile.RecordedProcess.of(ProcessHandle.current().pid()), components);
            runFile.writeTo(layout.runFile());
        }

        @Override
        public synchronized void processStarted(String component, long pid, int port) {
            ports.put(component, port);
            if (pid > 0) {
                runFile = runFile.withProcess(component, pid, port);
                runFile.writeTo(layout.runFile());
            }
        }

        @Override
        public synchronized void componentReady(String component, Duration sinceStart) {
            out.printf("  %-17s ready on port %-5d  %5.1f s%n", component, ports.getOrDefault(component, 0),
                    sinceStart.toMillis() / 1000.0);
        }

        @Override
        public void notice(String message) {
            out.println("  ! " + message);
        }

        boolean hasStoppedAfterFailure() {
            return stoppedAfterFailure;
        }

        @Override
        public void startFailed(SuiteStartException failure) {
            stoppedAfterFailure = true;
            if (failure.isCancelled()) {
                out.println("Start-up cancelled; stopping what has been started...");
                return;
            }
            err.println("keyfleet up failed: " + failure.reason());
            failure.logExcerpt().ifPresent(err::println);
            err.println("Stopping what has been started...");
        }

        @Override
        public void componentStopped(String component, Duration took) {
            out.printf("  %-17s stopped  %5.1f s%n", component, took.toMillis() / 1000.0);
        }
    }
}
