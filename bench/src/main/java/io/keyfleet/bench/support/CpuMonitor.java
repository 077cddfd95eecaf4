package io.keyfleet.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How busy the machine was while a benchmark ran, and how much of that was the benchmark itself (this JVM, its
 * child processes such as the Kafka broker, and the PostgreSQL server with its backends). On a shared machine the
 * rest is noise the reader should know about. Linux only ({@code /proc}); elsewhere it reports nothing.
 */
public final class CpuMonitor {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final int postgresPort;
    private final String loadAtStart;
    private final long[] machineAtStart;
    private final long ownAtStartNs;
    private final long wallAtStart = System.nanoTime();

    private CpuMonitor(int postgresPort) {
        this.postgresPort = postgresPort;
        this.loadAtStart = loadAverage();
        this.machineAtStart = machineTicks();
        this.ownAtStartNs = ownCpuNanos();
    }

    /** @param postgresPort the port of this run's PostgreSQL server, or 0 if there is none */
    public static CpuMonitor start(int postgresPort) {
        return new CpuMonitor(postgresPort);
    }

    /** One line: machine busy, this run's share, other processes' share, load average at start and end. */
    public String summary() {
        int cores = Runtime.getRuntime().availableProcessors();
        double wallSeconds = (System.nanoTime() - wallAtStart) / 1e9;
        long[] machineNow = machineTicks();
        String load = "load average (1 min) " + loadAtStart + " at start, " + loadAverage() + " at end";
        if (machineAtStart == null || machineNow == null) {
            return load;
        }
        double busySeconds = (machineNow[0] - machineAtStart[0]) / TICKS_PER_SECOND;
        double ownSeconds = (ownCpuNanos() - ownAtStartNs) / 1e9;
        double capacity = wallSeconds * cores;
        return String.format(Locale.ROOT, "%d cores busy %.0f%% over %.0f s: this run %.0f%%, other processes %.0f%%; %s",
                cores, 100 * busySeconds / capacity, wallSeconds, 100 * ownSeconds / capacity,
                100 * Math.max(0, busySeconds - ownSeconds) / capacity, load);
    }

    /** True if other processes kept more than a quarter of the machine busy: the figures are noisy. */
    public boolean machineWasShared() {
        long[] machineNow = machineTicks();
        if (machineAtStart == null || machineNow == null) {
            return false;
        }
        double wallSeconds = (System.nanoTime() - wallAtStart) / 1e9;
        double other = (machineNow[0] - machineAtStart[0]) / TICKS_PER_SECOND - (ownCpuNanos() - ownAtStartNs) / 1e9;
        return other > 0.25 * wallSeconds * Runtime.getRuntime().availableProcessors();
    }

    /** [busy, total] jiffies of all CPUs from /proc/stat, or null. */
    private static long[] machineTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] fields = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * CPU time of this JVM, its descendants (the Kafka broker, services a benchmark starts) and this run's PostgreSQL
     * server with its backends; each process's own time plus that of its children that have ended and been reaped
     * (a service stopped before the summary, PostgreSQL backends of closed connections).
     */
    private long ownCpuNanos() {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(processes::add);
        postmaster().ifPresent(postmaster -> {
            processes.add(postmaster);
            postmaster.descendants().forEach(processes::add);
        });
        return processes.stream().mapToLong(CpuMonitor::cpuNanosWithReapedChildren).sum();
    }

    /** utime + stime + cutime + cstime from /proc/PID/stat; without /proc, the process's own time as Java sees it. */
    private static long cpuNanosWithReapedChildren(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // "pid (comm) state ppid ...": comm may hold spaces, so count the fields after its closing parenthesis;
            // utime, stime, cutime, cstime are fields 14-17 of the line, 11-14 after it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = 0;
            for (int i = 11; i <= 14; i++) {
                ticks += Long.parseLong(fields[i]);
            }
            return (long) (ticks / TICKS_PER_SECOND * 1e9);
        } catch (IOException | RuntimeException e) {
            return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
        }
    }

    /** PostgreSQL detaches from its starter (its parent is init), so it is found by its port. */
    private Optional<ProcessHandle> postmaster() {
        if (postgresPort == 0) {
            return Optional.empty();
        }
        String portArgument = String.valueOf(postgresPort);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                    .filter(process -> {
                        String[] arguments = process.info().arguments().orElse(new String[0]);
                        for (int i = 0; i + 1 < arguments.length; i++) {
                            if (arguments[i].equals("-p") && arguments[i + 1].equals(portArgument)) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .findFirst();
        }
    }
}
