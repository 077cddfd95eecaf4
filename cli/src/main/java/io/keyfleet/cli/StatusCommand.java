package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.HealthProbe;

import io.keyfleet.localstack.LocalPorts;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ./keyfleet status}: exit 0 when every component is UP, 1 when some are not, 3 when nothing runs. */
final class StatusCommand {

    static final int EXIT_NOT_RUNNING = 3;

    private final ProjectLayout layout;
    private final PrintStream out;
    private final HealthProbe probe = new HealthProbe();

    StatusCommand(ProjectLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
    }

    int run() {
        Optional<RunFile> runFile = RunFile.read(layout.runFile());
        if (runFile.isEmpty()) {
            out.println("Keyfleet is not running (no " + layout.root().relativize(layout.runFile()) + ").");
            out.print(ComponentTable.render(defaultRows()));
            return EXIT_NOT_RUNNING;
        }
        RunFile run = runFile.get();
        if (run.supervisor().liveHandle().isPresent()) {
            out.println("Keyfleet is running (supervisor pid " + run.supervisor().pid() + ").");
        } else {
            out.println("The supervisor (pid " + run.supervisor().pid() + ") is gone; ./keyfleet down stops what is"
                    + " left.");
        }
        List<ComponentTable.Row> rows = new ArrayList<>();
        for (RunFile.Component component : run.components()) {
            Long pid = component.process() == null ? null : component.process().pid();
            rows.add(new ComponentTable.Row(component.name(), pid, component.port(), healthOf(component)));
        }
        out.print(ComponentTable.render(rows));
        return rows.stream().allMatch(row -> row.health() == Health.UP) ? 0 : 1;
    }

    private Health healthOf(RunFile.Component component) {
        if (component.liveProcess().isEmpty()) {
            return Health.NOT_RUNNING;
        }
        if (Suite.POSTGRES.equals(component.name()) || Suite.KAFKA.equals(component.name())) {
            return LocalPorts.isAccepting(component.port()) ? Health.UP : Health.DOWN;
        }
        return probe.isReady(URI.create("http://localhost:" + component.port())) ? Health.UP : Health.DOWN;
    }

    private static List<ComponentTable.Row> defaultRows() {
        List<ComponentTable.Row> rows = new ArrayList<>();
        rows.add(new ComponentTable.Row(Suite.POSTGRES, null, Suite.DEFAULT_POSTGRES_PORT, Health.NOT_RUNNING));
        rows.add(new ComponentTable.Row(Suite.KAFKA, null, Suite.DEFAULT_KAFKA_PORT, Health.NOT_RUNNING));
        for (KeyfleetService service : KeyfleetService.values()) {
            rows.add(new ComponentTable.Row(service.moduleName(), null, service.defaultPort(), Health.NOT_RUNNING));
        }
        return rows;
    }
}
