package io.keyfleet.bench.sync;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.KeyServiceClient;
import io.keyfleet.bench.support.BenchServices;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.Report;
import io.keyfleet.bench.support.RunEnvironment;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A catalog of 100,000 items synced end to end: provider-sandbox's resource-pool API (signed, paged) → a real
 * sync-service process → its PostgreSQL database, the pool's API secret in a real key-service. Then a re-sync with no
 * upstream change and one after a small change. References from the same run: the same pages fetched without writing
 * anything, and the same rows COPY'd into PostgreSQL without reading anything.
 */
@ApplicationScoped
public class SyncBenchmark implements Benchmark {

    private static final String ADMIN_API_KEY = ApiKeyFormat.generate(false);
    private static final String TENANT = "bench-sync";
    private static final String SECRET = "bench-pool-secret-" + UUID.randomUUID();
    private static final String CHANGED_TYPE = "cloud-server-lines";

    @Inject
    SyncBenchConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    BenchServices services;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    /** One measured sync: the job as sync-service reports it, and what the benchmark saw around it. */
    record SyncRun(SyncClient.Job job, double wallSeconds, double cpuSeconds, double sandboxCpuSeconds, long rowsWritten,
                   CatalogTables.Written stats,
                   GcLog.Window heap, long catalogRows) {
        double itemsPerSecond() {
            return job.seen() / wallSeconds;
        }
    }

    @Override
    public Report run() throws Exception {
        Report report = new Report("sync", String.format(Locale.ROOT, "a %,d-item catalog synced end to end, re-synced unchanged"
                + " and after a small change, against fetching the pages alone and COPY'ing the rows alone", config.catalogSize()));
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        RunEnvironment.describe(report, dataSource);
        Path keyServiceJar = services.jar(KeyfleetService.KEY_SERVICE, config.keyServiceJar());
        Path syncJar = services.jar(KeyfleetService.SYNC_SERVICE, config.syncServiceJar());
        Path sandboxJar = services.jar(KeyfleetService.PROVIDER_SANDBOX, config.sandboxJar());
        Path workDirectory = BenchServices.temporaryDirectory("sync");
        Path gcLogFile = workDirectory.resolve("sync-service-gc.log");
        List<String> syncJvm = new ArrayList<>(ServiceProcess.splitOptions(config.syncServiceJvmOptions()));
        syncJvm.add("-Xlog:gc:file=" + gcLogFile);
        report.environment("services", "key-service, provider-sandbox and sync-service as processes (quarkus-run.jar, prod profile),"
                + " each its own database on this run's PostgreSQL; loopback HTTP/1.1");
        report.environment("sync-service JVM", String.join(" ", syncJvm).replace(gcLogFile.toString(), "<run dir>/sync-service-gc.log")
                + "; page size 500 (keyfleet.sync.page-size)");
        report.environment("sandbox JVM", config.sandboxJvmOptions());
        boolean keepLogs = true;
        HttpClient http = KeyServiceClient.newHttpClient();
        try {
            try (ServiceProcess keyService = services.launch(keyServiceJar, services.keyService(workDirectory, ADMIN_API_KEY),
                    ServiceProcess.splitOptions(config.keyServiceJvmOptions()), workDirectory, "key-service.log");
                 ServiceProcess sandbox = services.launch(sandboxJar, services.environment(KeyfleetService.PROVIDER_SANDBOX),
                         ServiceProcess.splitOptions(config.sandboxJvmOptions()), workDirectory, "provider-sandbox.log")) {
                long launched = System.nanoTime();
                keyService.awaitReady(config.startTimeout());
                sandbox.awaitReady(config.startTimeout());
                LocalStack.log("key-service and provider-sandbox ready after %.1f s", (System.nanoTime() - launched) / 1e9);
                // the pools point at the sandbox on loopback, which sync-service's outbound policy then allows
                ServiceEnvironment syncEnvironment = services.environment(KeyfleetService.SYNC_SERVICE)
                        .secrets(services.secrets(workDirectory))
                        .peer(KeyfleetService.KEY_SERVICE, keyService.baseUrl())
                        .peer(KeyfleetService.PROVIDER_SANDBOX, sandbox.baseUrl());
                try (ServiceProcess syncService = services.launch(syncJar, syncEnvironment, syncJvm, workDirectory, "sync-service.log")) {
                    launched = System.nanoTime();
                    syncService.awaitReady(config.startTimeout());
                    LocalStack.log("sync-service (pid %d) ready after %.1f s", syncService.pid(), (System.nanoTime() - launched) / 1e9);
                    new KeyServiceClient(http, keyService.baseUrl(), TENANT, ADMIN_API_KEY, config.requestTimeout()).createTenant("Sync benchmark");
                    SyncClient client = new SyncClient(http, sandbox.baseUrl(), syncService.baseUrl(), TENANT, ADMIN_API_KEY, config.requestTimeout());
                    CatalogTables tables = new CatalogTables(services.jdbcUrl(KeyfleetService.SYNC_SERVICE), services.dbUser(),
                            services.dbPassword());
                    GcLog gc = new GcLog(gcLogFile);

                    String warmMember = "bench-warm";
                    String member = "bench-main";
                    client.upstreamAccount(warmMember, SECRET, config.warmUpCatalogSize());
                    client.upstreamAccount(member, SECRET, config.catalogSize());
                    UUID warmPool = client.createPool(warmMember, SECRET);
                    UUID pool = client.createPool(member, SECRET);

                    LocalStack.log("smaller catalog: %,d items, full sync (warms up the three services)", config.warmUpCatalogSize());
                    SyncRun small = measure(client, tables, gc, syncService, sandbox, warmPool, "small full sync");

                    LocalStack.log("reference: every page of the %,d-item catalog fetched and parsed, nothing written", config.catalogSize());
                    long sandboxCpuBefore = sandbox.cpuNanos();
                    UpstreamReference.Result fetched = UpstreamReference.fetchAll(http, sandbox.baseUrl(), member, SECRET, config.pageSize(),
                            config.requestTimeout());
                    double fetchSandboxCpu = (sandbox.cpuNanos() - sandboxCpuBefore) / 1e9;
                    LocalStack.log("reference: the same %,d rows COPY'd into a table shaped like catalog_item", fetched.rows().size());
                    double copySeconds = CatalogTables.copyReference(dataSource, UpstreamReference.hashed(fetched.rows()));

                    LocalStack.log("full sync of %,d items", config.catalogSize());
                    SyncRun full = measure(client, tables, gc, syncService, sandbox, pool, "full sync");
                    LocalStack.log("re-sync, nothing changed upstream");
                    SyncRun unchanged = measure(client, tables, gc, syncService, sandbox, pool, "no-change re-sync");
                    client.upstreamChange(member, CHANGED_TYPE, config.added(), config.changed(), config.removed());
                    LocalStack.log("re-sync after %d added, %d changed, %d removed %s upstream", config.added(), config.changed(),
                            config.removed(), CHANGED_TYPE);
                    SyncRun changed = measure(client, tables, gc, syncService, sandbox, pool, "re-sync after a change");
                    keepLogs = false;
                    report.environment("cpu during run", cpu.summary());
                    return fill(report, fetched, fetchSandboxCpu, copySeconds, small, full, unchanged, changed, client.failedPolls,
                            cpu.machineWasShared());
                }
            }
        } finally {
            if (keepLogs) {
                LocalStack.log("service logs kept in %s", workDirectory);
            } else {
                BenchServices.deleteRecursively(workDirectory);
            }
        }
    }

    private SyncRun measure(SyncClient client, CatalogTables tables, GcLog gc, ServiceProcess syncService, ServiceProcess sandbox,
                            UUID pool, String what)
            throws Exception {
        CatalogTables.Written before = tables.written();
        long xid = tables.nextXid();
        int gcMark = gc.mark();
        long cpuBefore = syncService.cpuNanos();
        long sandboxCpuBefore = sandbox.cpuNanos();
        long start = System.nanoTime();
        SyncClient.Job job = client.syncAll(pool, config.jobTimeout());
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (syncService.cpuNanos() - cpuBefore) / 1e9;
        double sandboxCpuSeconds = (sandbox.cpuNanos() - sandboxCpuBefore) / 1e9;
        if (!job.status().equals("SUCCEEDED")) {
            throw new IllegalStateException(what + " ended " + job.status() + ": " + job.reason());
        }
        GcLog.forceGc(syncService.pid());
        GcLog.Window heap = gc.since(gcMark);
        long written = tables.rowsWrittenSince(pool, xid);
        Thread.sleep(config.statsSettle().toMillis());
        CatalogTables.Written stats = tables.written().minus(before);
        long rows = tables.catalogRows(pool);
        LocalStack.log("%s: %s in %.2f s (%,.0f items/s), %,d catalog rows written (%,d per pg_stat), peak heap %d MB, live %d MB",
                what, job.status(), wall, job.seen() / wall, written, stats.catalogItem(), heap.peakUsedMb(), heap.liveMb());
        return new SyncRun(job, wall, cpuSeconds, sandboxCpuSeconds, written, stats, heap, rows);
    }

    // ---------------------------------------------------------------- report

    private Report fill(Report report, UpstreamReference.Result fetched, double fetchSandboxCpu, double copySeconds, SyncRun small, SyncRun full,
                        SyncRun unchanged, SyncRun changed, int failedPolls, boolean machineWasShared) {
        int items = fetched.rows().size();
        double fetchRate = items / fetched.seconds();
        Report.Section ref = report.section("reference", "References: the same catalog without sync-service");
        ref.count("fetchPages", "pages fetched (signed GET, " + config.pageSize() + " items each, one after the other)", fetched.pages());
        ref.count("fetchItems", "items fetched and parsed", items);
        ref.seconds("fetchSeconds", "fetch time (nothing written)", fetched.seconds());
        ref.perSecond("fetchItemsPerSecond", "fetch rate", fetchRate);
        ref.seconds("fetchSandboxCpuSeconds", "provider-sandbox CPU time while fetching", fetchSandboxCpu);
        ref.seconds("copySeconds", "COPY of the same rows into a catalog_item-shaped table", copySeconds);
        ref.perSecond("copyRowsPerSecond", "COPY rate", items / copySeconds);

        syncRows(report.section("small", String.format(Locale.ROOT, "Smaller catalog: full sync of %,d items (first, warms up)",
                config.warmUpCatalogSize())), "small", small);
        syncRows(report.section("full", String.format(Locale.ROOT, "Full sync of %,d items", config.catalogSize())), "full", full);
        syncRows(report.section("unchanged", "Re-sync, nothing changed upstream"), "unchanged", unchanged);
        long difference = config.added() + config.changed() + config.removed();
        Report.Section changedSection = report.section("changed", String.format(Locale.ROOT,
                "Re-sync after %d added, %d changed, %d removed %s upstream (%d rows differ)", config.added(), config.changed(),
                config.removed(), CHANGED_TYPE, difference));
        syncRows(changedSection, "changed", changed);
        SyncClient.ItemCounts changedItem = changed.job().items().get(CHANGED_TYPE);
        changedSection.text("changedCounts", CHANGED_TYPE + " created / updated / removed", changedItem.created() + " / "
                + changedItem.updated() + " / " + changedItem.removed());

        report.ratio("fullVsFetchRate", "full sync items/s / fetch-only items/s", full.itemsPerSecond(), perSecond(full.itemsPerSecond()),
                fetchRate, perSecond(fetchRate), "the share of the upstream read rate the sync keeps while writing every row");
        report.ratio("fullVsFetchPlusCopy", "full sync time / (fetch time + COPY time)", full.wallSeconds(), seconds(full.wallSeconds()),
                fetched.seconds() + copySeconds, seconds(fetched.seconds() + copySeconds),
                "1 = as fast as reading the pages and then bulk-loading the rows with nothing else; above 1: what comparing,"
                        + " hashing, upserting in page transactions and job bookkeeping add (below 1: reading and writing overlap)");
        report.ratio("unchangedVsFetch", "no-change re-sync time / fetch time", unchanged.wallSeconds(), seconds(unchanged.wallSeconds()),
                fetched.seconds(), seconds(fetched.seconds()), "what reading the stored rows and comparing hashes adds to reading the pages");
        report.ratio("liveHeapVsSmall", "sync-service live heap: " + config.catalogSize() + " items / " + config.warmUpCatalogSize() + " items",
                full.heap().liveMb(), full.heap().liveMb() + " MB", small.heap().liveMb(), small.heap().liveMb() + " MB",
                "about 1: memory does not grow with the catalog (it would be ~" + config.catalogSize() / config.warmUpCatalogSize()
                        + "× if the catalog were held)");

        boolean fullOk = full.catalogRows() == items && full.job().seen() == items;
        report.target("fullSync", String.format(Locale.ROOT, "full sync of %,d items under %d s, every item stored", config.catalogSize(),
                config.targetFullSync().toSeconds()), fullOk && full.wallSeconds() < config.targetFullSync().toNanos() / 1e9,
                String.format(Locale.ROOT, "%s (%s), %,d of %,d rows stored", seconds(full.wallSeconds()), perSecond(full.itemsPerSecond()),
                        full.catalogRows(), items));
        report.target("unchangedZeroRows", "a re-sync with no upstream change writes zero catalog rows",
                unchanged.rowsWritten() == 0 && unchanged.stats().catalogItem() == 0,
                String.format(Locale.ROOT, "%d row versions (xmin), %d per pg_stat_user_tables", unchanged.rowsWritten(),
                        unchanged.stats().catalogItem()));
        report.target("changedDifference", "a re-sync after a change writes exactly the difference",
                changed.rowsWritten() == difference && changed.stats().catalogItem() == difference
                        && changedItem.created() == config.added() && changedItem.updated() == config.changed()
                        && changedItem.removed() == config.removed(),
                String.format(Locale.ROOT, "%d row versions (xmin), %d per pg_stat_user_tables, job counts %d / %d / %d; difference %d",
                        changed.rowsWritten(), changed.stats().catalogItem(), changedItem.created(), changedItem.updated(),
                        changedItem.removed(), difference));

        if (failedPolls > 0) {
            report.note(failedPolls + " status polls of sync jobs were answered 5xx (sync-service could not check the caller's key"
                    + " with key-service in time) and were repeated; the sync times include those waits.");
        }
        if (machineWasShared) {
            report.note("Other processes kept a large share of this machine busy during the run (see 'cpu during run'):"
                    + " absolute figures are noisy; rerun on a quiet machine before quoting them.");
        }
        report.note("Sync time: from POST /v1/pools/{id}/sync-jobs (\"sync all\": zones and operating systems first, then the five"
                + " line types) until GET of the job, polled every 50 ms, shows it ended; 'job time' is the job's own"
                + " startedAt → finishedAt. items/s = items seen ÷ sync time.");
        report.note("Rows written: catalog_item row versions of the pool whose xmin is at or after a transaction id taken just"
                + " before the job (exact), and the pg_stat_user_tables delta (inserts + updates + deletes) read "
                + config.statsSettle().toSeconds() + " s after the job, when the backends have reported. 'all tables' adds"
                + " sync-service's job bookkeeping (job and per-item progress rows, item_sync, outbox).");
        report.note("Heap: from sync-service's GC log (-Xlog:gc): 'peak heap used' is the most used at any pause during the sync"
                + " (before collecting); 'live heap' the most left after a young or full collection; at the end of each sync the"
                + " benchmark forces a full GC (jcmd PID GC.run), so the heap used then is logged too.");
        return report;
    }

    private static void syncRows(Report.Section s, String key, SyncRun run) {
        s.text(key + "Status", "job status", run.job().status());
        s.count(key + "Seen", "items seen", run.job().seen());
        s.seconds(key + "Seconds", "sync time (POST → job ended)", run.wallSeconds());
        s.seconds(key + "JobSeconds", "job time (startedAt → finishedAt)", run.job().serverSeconds());
        s.perSecond(key + "ItemsPerSecond", "items/s", run.itemsPerSecond());
        s.seconds(key + "CpuSeconds", "sync-service CPU time", run.cpuSeconds());
        s.seconds(key + "SandboxCpuSeconds", "provider-sandbox CPU time", run.sandboxCpuSeconds());
        s.count(key + "JobWritten", "created + updated + removed, as the job counts them", run.job().written());
        s.count(key + "RowsWritten", "catalog_item rows written (row versions, xmin)", run.rowsWritten());
        s.count(key + "StatsCatalog", "catalog_item inserts + updates + deletes (pg_stat)", run.stats().catalogItem());
        s.count(key + "StatsAll", "all sync-service tables (pg_stat)", run.stats().allTables());
        s.count(key + "CatalogRows", "catalog_item rows of the pool after", run.catalogRows());
        s.count(key + "PeakHeapMb", "sync-service peak heap used (MB, GC log)", run.heap().peakUsedMb());
        s.count(key + "LiveHeapMb", "sync-service live heap, most after a GC (MB)", run.heap().liveMb());
        s.count(key + "EndHeapMb", "sync-service heap after the forced GC at the end (MB)", run.heap().lastLiveMb());
        s.count(key + "GcPauses", "GC pauses during the sync (incl. the forced one)", run.heap().pauses());
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2f s", value);
    }

    private static String perSecond(double value) {
        return String.format(Locale.ROOT, "%,.0f items/s", value);
    }
}
