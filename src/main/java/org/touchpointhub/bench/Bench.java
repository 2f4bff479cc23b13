package org.touchpointhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark: {@code java -jar target/touchpoint-hub.jar bench}. It starts the Salesforce double, the
 * bare ceilings and the hub as separate processes on 127.0.0.1, drives the hub with the {@link LoadGenerator} (its
 * own process), waits until every accepted event is processed and delivered, and prints markdown tables.
 *
 * <pre>{@code java -jar target/touchpoint-hub.jar bench [--events=20000] [--rate=0[,200]] [--clients=32]
 *     [--preload=0[,10000,100000,1000000]] [--warmup=10000] [--max-seconds=600] [--jfr=hub.jfr]
 *     [--repeat=0.25] [--fuzzy=0.25] [--duplicates=0.05] [--ceilings=true] [--keep] [--warmup-rounds=12]
 *     [--jit-settled=0.10] [--hub.processing.consumers=8 …any hub property]}</pre>
 *
 * <p>{@code --repeat} and {@code --fuzzy} are the shares of events that are exact repeats and fuzzy variants of
 * preloaded people ({@link LoadGenerator.Population}); {@code --ceilings=false} skips the bare ceilings;
 * {@code --keep} keeps the work folder.
 *
 * <p>Why this shape: a figure from a shared 2-core machine means little on its own, so the same run measures the
 * bare parts (an HTTP endpoint that only does a persistent Artemis send; a JDBC loop of durable upserts against the
 * same embedded PostgreSQL settings) and prints the hub's ratio to each. Webhook-to-CRM latency is read from the
 * hub's store after the run: from the edge's receipt ({@code events.received_at}) to the commit of the CRM's answer
 * ({@code touchpoints.delivered_at}), exact percentiles over every touchpoint of the phase. Every loop is bounded in
 * count and time, and every child process (and the hub's PostgreSQL) is stopped at the end, on failure and on
 * Ctrl-C.
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The load generator's JVM: short-lived, so C1 only (C2's compilations would cost more CPU than they save in a
     * phase of seconds) and the serial collector (no parallel GC threads competing with the hub for the 2 cores).
     */
    private static final List<String> LOAD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The harness's own options; anything else but a hub property is a mistake worth naming before a long run. */
    private static final java.util.Set<String> OPTIONS = java.util.Set.of("events", "rate", "clients", "preload", "warmup",
            "max-seconds", "jfr", "repeat", "fuzzy", "duplicates", "ceilings", "keep", "jar", "connectors-dir", "hub-heap",
            "warmup-rounds", "jit-settled");
    private static final String USAGE = "usage: java -jar target/touchpoint-hub.jar bench [--events=20000] [--rate=0[,200]]"
            + " [--clients=32] [--preload=0[,10000,100000,1000000]] [--warmup=10000] [--max-seconds=600] [--jfr=hub.jfr]"
            + " [--repeat=0.25] [--fuzzy=0.25] [--duplicates=0.05] [--ceilings=true] [--keep] [--hub-heap=512m]"
            + " [--warmup-rounds=12] [--jit-settled=0.10]"
            + " [--jar=target/touchpoint-hub.jar] [--connectors-dir=connectors] [--hub.<property>=<value> ...]";

    private final Map<String, String> options;
    private final List<String> hubProperties;
    private final Path jar;
    private final Path work;
    private final long maxSeconds;
    private final List<Child> children = new CopyOnWriteArrayList<>();
    private final List<Long> stoppedPids = new CopyOnWriteArrayList<>();
    private boolean stopped;
    private final String typeformSecret = secret();
    private final String webformToken = secret();
    private final String stripeSecret = "whsec_" + secret();
    private final String adminPassword = secret();
    private final String sfClientSecret = secret();
    private final String sfPassword = secret();

    private Bench(Map<String, String> options, List<String> hubProperties) throws IOException {
        this.options = options;
        this.hubProperties = hubProperties;
        String cp = System.getProperty("java.class.path", "");
        this.jar = Path.of(options.getOrDefault("jar", cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator)
                ? cp : "target/touchpoint-hub.jar")).toAbsolutePath();
        this.work = Files.createTempDirectory("touchpoint-bench-");
        this.maxSeconds = Long.parseLong(options.getOrDefault("max-seconds", "600"));
    }

    /** Runs the benchmark from {@code --name=value} options; properties of the hub ({@code --hub.…}) pass through. */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> hub = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--hub.") || a.startsWith("--spring.") || a.startsWith("--camel.") || a.startsWith("--server.tomcat.")
                    || a.startsWith("--management.")) {
                hub.add(a);
            } else if (a.startsWith("--") && a.contains("=")) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("--") && a.length() > 2) {
                o.put(a.substring(2), "true"); // a bare flag such as --keep
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "' (options are --name=value)");
            }
        }
        if (o.containsKey("help")) {
            System.out.println(USAGE);
            return;
        }
        for (String name : o.keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; " + USAGE);
            }
        }
        checkNumber(o, "warmup-rounds", 0, 1000);
        if (o.containsKey("warmup-rounds") && !o.get("warmup-rounds").matches("\\d+")) {
            throw new IllegalArgumentException("--warmup-rounds must be a whole number, not '" + o.get("warmup-rounds") + "'");
        }
        checkNumber(o, "jit-settled", 0, 1);
        // the harness's own engines (the bare PostgreSQL) log their start-up at INFO: noise next to the tables
        if (org.slf4j.LoggerFactory.getLogger("io.zonky") instanceof ch.qos.logback.classic.Logger zonky) {
            zonky.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Bench bench = new Bench(o, hub);
        Thread cleanup = new Thread(bench::stopAll, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    private void run() throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with 'mvn -q -DskipTests package'");
        }
        int events = intOption("events", 20_000);
        int clients = intOption("clients", 32);
        int warmup = intOption("warmup", 10_000);
        List<Double> rates = Stream.of(options.getOrDefault("rate", "0").split(",")).map(Double::parseDouble).toList();
        List<Integer> sizes = Stream.of(options.getOrDefault("preload", "0").split(",")).map(Integer::parseInt).sorted().toList();
        int consumers = Integer.parseInt(hubProperty("hub.processing.consumers", "8"));
        System.out.printf(Locale.ROOT, "bench: %d events, %d clients, rates %s, preload %s; work folder %s; load average %s%n",
                events, clients, rates, sizes, work, loadAverage());
        System.out.println("bench: options " + options + " hub properties " + hubProperties);

        // 1. the bare ceilings, each alone on the machine
        // --ceilings=false skips them, for quick A/B runs of hub settings (the ratios then read NaN)
        boolean ceilings = Boolean.parseBoolean(options.getOrDefault("ceilings", "true"));
        Map<String, Figures> bares = new LinkedHashMap<>();
        if (ceilings) {
            for (String server : List.of("tomcat", "jdk")) {
                bares.put(server, bareIngest(server, events, clients, warmup));
            }
        }
        // the ceiling is the faster of the two bare servers
        Figures bare = bares.values().stream().max(Comparator.comparingDouble(b -> b.acceptedPerSecond)).orElse(null);
        double upserts = ceilings ? bareUpserts(events, consumers) : Double.NaN;

        // 2. the Salesforce double and the hub
        Child sf = start("salesforce-double", List.of("-Xmx256m"), List.of("salesforce-double", "--port=0",
                "--client-secret=" + sfClientSecret, "--password=" + sfPassword), "salesforce-double listening on ");
        String sfUrl = sf.url;
        Child hub = startHub(sfUrl);
        long postmaster = postmasterPid(work.resolve("hub-data"));
        int pgPort = postmasterPort(work.resolve("hub-data"));
        List<String> rows = new ArrayList<>();
        List<String> preloads = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "")) {
            int loaded = 0;
            boolean warm = warmup <= 0;
            for (int size : sizes) {
                if (size > loaded) {
                    System.out.printf(Locale.ROOT, "preloading customers %,d to %,d…%n", loaded, size);
                    Preload.Report report = Preload.load(db, loaded, size);
                    preloads.add(String.format(Locale.ROOT, "| %,d → %,d | %,d | %,d | %.1f | %,.0f | %s |", loaded, size,
                            report.rows(), report.blockingKeys(), report.seconds(), report.customers() / report.seconds(),
                            loadAverage()));
                    System.out.printf(Locale.ROOT, "preloaded %,d customers (%,d rows) in %.1f s%n", report.customers(),
                            report.rows(), report.seconds());
                    loaded = size;
                }
                if (!warm) {
                    // after the first preload: the load's repeat and fuzzy variants of preloaded people take the
                    // probabilistic path, which an empty store never runs, so the compiler warms that path up too
                    warmUp(hub, sf, db, postmaster, warmup, clients, loaded);
                    warm = true;
                }
                for (double rate : rates) {
                    System.out.printf(Locale.ROOT, "measuring: %,d customers preloaded, rate %s, %d clients, load average %s%n",
                            size, rate == 0 ? "max" : String.valueOf(rate), clients, loadAverage());
                    Figures f = phase(hub, sf, db, postmaster, "p" + size + "r" + (int) rate, events, clients, rate, loaded);
                    rows.add(f.row(size, rate, clients, bare, upserts));
                }
            }
        }

        if (bare != null) {
            System.out.println();
            System.out.println("### Bare ceilings (same run, same machine)");
            System.out.println();
            System.out.println("| part | events | per second | 202 p50 ms | p95 ms | p99 ms | load generator CPU s per 1,000 requests |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
            bares.forEach((server, b) -> System.out.printf(Locale.ROOT,
                    "| HTTP → persistent Artemis send → 202 (%s, NIO journal, %d clients)%s | %d | %.0f | %.1f | %.1f | %.1f | %.2f |%n",
                    server.equals("jdk") ? "JDK HttpServer, thread pool" : "embedded Tomcat, one servlet", clients,
                    b == bare ? " **ceiling**" : "", b.sent, b.acceptedPerSecond, b.p50, b.p95, b.p99, b.generatorCpu * 1000.0 / Math.max(1, b.sent)));
            System.out.printf(Locale.ROOT, "| JDBC durable upserts (fsync on, %d connections, one per transaction) | %d | %.0f | | | | |%n",
                    consumers, events, upserts);
        }
        if (!preloads.isEmpty()) {
            System.out.println();
            System.out.println("### Preload (COPY straight into the schema: per customer its golden record, identity keys, "
                    + "observations, blocking keys and one delivered touchpoint; then VACUUM ANALYZE)");
            System.out.println();
            System.out.println("| customers | rows | of which blocking keys | seconds | customers/s | load avg at the end |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            preloads.forEach(System.out::println);
        }
        System.out.println();
        System.out.println("### Hub");
        System.out.println();
        System.out.println(Figures.HEADER);
        System.out.println(Figures.SEPARATOR);
        rows.forEach(System.out::println);
        System.out.printf("%nload average at the end: %s%n", loadAverage());
    }

    /**
     * Warms the hub up until its JIT compiler has settled: rounds of {@code warmup} events, up to
     * {@code --warmup-rounds}, until a round's compilation took less than {@code --jit-settled} (0.10) of one core.
     * Why: a hub answers for months, so what matters is its steady state; measured on the 2-core machine, a single
     * round of 5,000 events left the compiler threads busy through the measured phase, at about a third of the hub's
     * CPU, so the first preload size measured was penalised against the later ones. Each measured row reports the
     * compilation that still ran in it ({@code JIT s per 1,000 events}). It runs after the first preload, with the
     * same mix of repeat and fuzzy visitors of the {@code known} preloaded people as the measured phases: warmed on
     * an empty store, the hub settled at 2 % and still compiled at 20 % of a core in the first measured phase, whose
     * fuzzy variants took the probabilistic path for the first time.
     */
    private void warmUp(Child hub, Child sf, Connection db, long postmaster, int warmup, int clients, int known)
            throws Exception {
        boolean settled = untilJitSettles(round -> {
            System.out.printf("warming up the hub with %d events (round %d)…%n", warmup, round);
            Figures w = phase(hub, sf, db, postmaster, "warm" + round, warmup, clients, 0, known);
            return new WarmUpRound(w.jitSeconds, (seconds, share) -> String.format(Locale.ROOT,
                    "  round %d: %.0f accepted/s, %.0f processed/s; JIT compilation %.1f s in %.1f s (%.1f %% of one core)",
                    round, w.acceptedPerSecond, w.processedPerSecond, w.jitSeconds, seconds, share * 100));
        });
        if (!settled) {
            System.out.printf(Locale.ROOT, "  the JIT compiler had not settled below %.0f %% of one core after %d rounds: "
                    + "the measured rows include compilation (see their JIT column)%n", jitSettled() * 100, warmUpRounds());
        }
    }

    /** What one warm-up round did: the JIT compilation it cost and its line, given its seconds and that cost's share. */
    private record WarmUpRound(double jitSeconds, java.util.function.BiFunction<Double, Double, String> line) {
    }

    /** Runs one warm-up round (numbered from 1). */
    private interface WarmUp {
        WarmUpRound run(int round) throws Exception;
    }

    /**
     * Rounds of warm-up, for the hub and each bare endpoint alike, until a round's JIT compilation took less than
     * {@code --jit-settled} of one core, at most {@code --warmup-rounds} (at least one); true when it settled.
     */
    private boolean untilJitSettles(WarmUp warmUp) throws Exception {
        for (int round = 1; round <= warmUpRounds(); round++) {
            long t0 = System.nanoTime();
            WarmUpRound done = warmUp.run(round);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double share = done.jitSeconds() / seconds;
            System.out.println(done.line().apply(seconds, share));
            if (share < jitSettled()) {
                return true;
            }
        }
        return false;
    }

    private int warmUpRounds() {
        return Math.max(1, intOption("warmup-rounds", 12));
    }

    private double jitSettled() {
        return Double.parseDouble(options.getOrDefault("jit-settled", "0.10"));
    }

    /** One measured phase against the hub: send, wait until processed and delivered, collect the figures. */
    private Figures phase(Child hub, Child sf, Connection db, long postmaster, String run, int events, int clients,
            double rate, int known) throws Exception {
        JsonNode sfBefore = get(sf.url + "/__double/stats");
        // The waits below poll the store: by the rows after the phase's first ids (primary key ranges), not by counting
        // whole tables. A count(*) of events took 36 ms at 60,000 events, and of the undelivered touchpoints a scan of a
        // million rows; polled every 100 ms they took a quarter of a core and more from PostgreSQL, which the hub's
        // processing then lacked, and which the PostgreSQL CPU column counted as the hub's.
        long lastEvent = count(db, "select coalesce(max(id), 0) from events");
        long lastTouchpoint = count(db, "select coalesce(max(id), 0) from touchpoints");
        Duration hubCpu0 = cpu(hub.process.toHandle());
        Duration pgCpu0 = pgCpu(postmaster);
        Duration ownCpu0 = ownBackendCpu(db);
        double jit0 = compilationMillis(hub.url);
        MemoryPoller memory = new MemoryPoller(hub.url);
        memory.start();
        Figures f;
        try {
            Path result = work.resolve("load-" + run + ".json");
            List<String> args = new ArrayList<>(List.of("load", "--url=" + hub.url, "--events=" + events,
                    "--clients=" + clients, "--rate=" + rate, "--await=false", "--warmup=0", "--result=" + result,
                    "--run=" + run, "--known=" + known, "--max-seconds=" + maxSeconds,
                    "--duplicates=" + options.getOrDefault("duplicates", "0.05"),
                    "--repeat=" + options.getOrDefault("repeat", "0.25"), "--fuzzy=" + options.getOrDefault("fuzzy", "0.25")));
            Child load = start("load-" + run, LOAD_JVM, args, loadEnv(), null);
            if (!load.process.waitFor(maxSeconds + 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the load generator did not finish within " + (maxSeconds + 60) + " s");
            }
            if (load.process.exitValue() != 0 || !Files.exists(result)) {
                throw new IllegalStateException("the load generator failed; see " + load.log);
            }
            children.remove(load);
            f = new Figures(JSON.readTree(Files.readString(result)));
            if (f.uniqueAccepted == 0 || f.errors > f.sent / 100) {
                throw new IllegalStateException(f.errors + " of " + f.sent + " requests were not answered 202; see "
                        + load.log + " and " + hub.log);
            }
            // processed: every accepted event has its row (a re-sent one was a no-op and has none)
            awaitCount(db, "select count(*) from events where id > " + lastEvent, f.uniqueAccepted, "processed");
            Timestamp since = new Timestamp(f.startEpochMillis);
            Timestamp last = timestamp(db, "select max(processed_at) from events where received_at >= ?", since);
            f.processedPerSecond = f.uniqueAccepted / Math.max(0.001, (last.getTime() - f.startEpochMillis) / 1000.0);
            drain(db, since, last, f);
            awaitCount(db, "select count(*) from touchpoints where id > " + lastTouchpoint + " and delivered_at is null", 0,
                    "delivered");
            awaitCount(db, "select count(*) from outbox", 0, "outbox drained");
            latency(db, since, f);
            decisions(db, since, f);
            JsonNode sfAfter = get(sf.url + "/__double/stats");
            f.apiCalls = sfAfter.path("apiCalls").asLong() - sfBefore.path("apiCalls").asLong();
            // API calls that carried records (a Composite call of several batches is one, as Salesforce counts it)
            long calls = sfAfter.path("writeCalls").asLong() - sfBefore.path("writeCalls").asLong();
            long records = sfAfter.path("recordsReceived").asLong() - sfBefore.path("recordsReceived").asLong();
            f.recordsPerCall = calls == 0 ? Double.NaN : (double) records / calls;
            f.hubCpu = cpu(hub.process.toHandle()).minus(hubCpu0).toMillis() / 1000.0;
            // PostgreSQL's CPU for the hub: the bench's own connection (these polls and the figures' queries) left out
            f.pgCpu = pgCpu(postmaster).minus(pgCpu0).minus(ownBackendCpu(db).minus(ownCpu0)).toMillis() / 1000.0;
            f.jitSeconds = (compilationMillis(hub.url) - jit0) / 1000.0;
        } finally {
            memory.stop();
        }
        f.heapPeak = memory.heapPeak.get() / 1048576.0;
        f.rssPeak = memory.rssPeak.get() / 1048576.0;
        f.loadAverage = loadAverage();
        return f;
    }

    private static void latency(Connection db, Timestamp since, Figures f) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("select count(*), "
                + "percentile_cont(0.5) within group (order by ms), percentile_cont(0.95) within group (order by ms), "
                + "percentile_cont(0.99) within group (order by ms) from (select extract(epoch from t.delivered_at - e.received_at) * 1000 as ms "
                + "from events e join touchpoints t on t.connector = e.connector and t.event_id = e.event_id "
                + "where e.received_at >= ?) x")) {
            ps.setTimestamp(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                f.touchpoints = rs.getLong(1);
                f.crmP50 = rs.getDouble(2);
                f.crmP95 = rs.getDouble(3);
                f.crmP99 = rs.getDouble(4);
            }
        }
    }

    /**
     * The drain rate: the backlog the hub had when the load generator finished (accepted, not yet processed) divided
     * by the time it took to empty it, so processing is measured without competing with ingest for the cores.
     * {@code events.processed_at} is the start of the event's transaction, close enough at these rates.
     */
    private static void drain(Connection db, Timestamp since, Timestamp last, Figures f) throws SQLException {
        Timestamp end = new Timestamp(f.endEpochMillis);
        long done;
        try (PreparedStatement ps = db.prepareStatement("select count(*) from events where received_at >= ? and processed_at <= ?")) {
            ps.setTimestamp(1, since);
            ps.setTimestamp(2, end);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                done = rs.getLong(1);
            }
        }
        f.backlog = Math.max(0, f.uniqueAccepted - done);
        double seconds = (last.getTime() - f.endEpochMillis) / 1000.0;
        // a backlog of a few events says nothing about a rate
        f.drainPerSecond = f.backlog >= Math.max(100, f.uniqueAccepted / 20) && seconds > 0 ? f.backlog / seconds : Double.NaN;
    }

    /** How the phase's records were resolved, from the decisions the hub stores ({@code match_decisions}). */
    private static void decisions(Connection db, Timestamp since, Figures f) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("select decision, count(*) from match_decisions where created_at >= ? "
                + "group by decision")) {
            ps.setTimestamp(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    f.decisions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
    }

    // ---- bare ceilings

    /**
     * The bare HTTP → Artemis ceiling with one server: warmed up like the hub (rounds of {@code warmup} requests until
     * its JIT compilation takes under {@code --jit-settled} of one core, at most {@code --warmup-rounds}), then
     * measured with {@code events} requests. Warming the ceiling less than the hub would flatter the hub's ratio: with
     * one round of 5,000 requests the bare endpoint measured below the hub it is meant to bound.
     */
    private Figures bareIngest(String server, int events, int clients, int warmup) throws Exception {
        System.out.printf("ceiling 1/2: bare HTTP (%s) → persistent Artemis send → 202, %d events…%n", server, events);
        Child bare = start("bare-ingest-" + server, List.of("-Xmx512m"), List.of("bare-ingest", "--port=0", "--server=" + server,
                "--data-dir=" + work.resolve("bare-artemis-" + server), "--threads=" + Math.max(64, clients * 2)),
                "bare-ingest listening on ");
        try {
            if (warmup > 0) {
                untilJitSettles(round -> {
                    double jit0 = get(bare.url + "/jit").asDouble();
                    Figures w = bareLoad(bare, server + "w" + round, warmup, clients);
                    return new WarmUpRound((get(bare.url + "/jit").asDouble() - jit0) / 1000.0, (seconds, share) -> String.format(
                            Locale.ROOT, "  warm-up round %d: %.0f requests/s; JIT compilation %.1f %% of one core", round,
                            w.acceptedPerSecond, share * 100));
                });
            }
            return bareLoad(bare, server + "m", events, clients);
        } finally {
            stop(bare);
        }
    }

    /** One run of the load generator against a bare endpoint. */
    private Figures bareLoad(Child bare, String run, int events, int clients) throws Exception {
        Path result = work.resolve("load-" + run + ".json");
        Child load = start("load-" + run, LOAD_JVM, List.of("load", "--url=" + bare.url, "--events=" + events,
                "--clients=" + clients, "--rate=0", "--await=false", "--warmup=0", "--result=" + result, "--run=" + run,
                "--max-seconds=" + maxSeconds), loadEnv(), null);
        if (!load.process.waitFor(maxSeconds + 60, TimeUnit.SECONDS) || load.process.exitValue() != 0) {
            throw new IllegalStateException("the load generator failed against the bare endpoint; see " + load.log);
        }
        children.remove(load);
        return new Figures(JSON.readTree(Files.readString(result)));
    }

    private double bareUpserts(int n, int connections) throws Exception {
        System.out.printf("ceiling 2/2: %d durable JDBC upserts on %d connections…%n", n, connections);
        Path dir = work.resolve("bare-postgres");
        Files.createDirectories(dir);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "100")
                .setPGStartupWait(Duration.ofSeconds(60)).start()) {
            String url = pg.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true";
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("create table upserts (k text primary key, v jsonb not null, n int not null default 0)");
            }
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            AtomicLong next = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            List<Future<?>> workers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < connections; w++) {
                workers.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                            "insert into upserts (k, v) values (?, ?::jsonb) on conflict (k) do update set v = excluded.v, n = upserts.n + 1")) {
                        long i;
                        while ((i = next.getAndIncrement()) < n && System.nanoTime() < deadline) {
                            // 70 % distinct keys, like the load's population with repeat visitors
                            ps.setString(1, "person" + (i * 7919 % Math.max(1, n * 7 / 10)) + "@load.example");
                            ps.setString(2, "{\"email\":{\"v\":\"x\",\"p\":50,\"t\":" + i + ",\"s\":\"bench\"}}");
                            ps.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            return Math.min(n, next.get()) / seconds;
        }
    }

    // ---- processes

    private Child startHub(String sfUrl) throws Exception {
        Path data = work.resolve("hub-data");
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.getOrDefault("hub-heap", "512m")));
        if (options.containsKey("jfr")) {
            jvm.add("-XX:StartFlightRecording=filename=" + Path.of(options.get("jfr")).toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        Path connectors = Path.of(options.getOrDefault("connectors-dir", "connectors")).toAbsolutePath();
        if (!Files.exists(connectors.resolve("typeform.yaml"))) {
            throw new IllegalStateException("no connector files at " + connectors + ": run the bench from the project folder, "
                    + "or pass --connectors-dir=<folder with typeform.yaml, webform.yaml and stripe.yaml>");
        }
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--hub.data-dir=" + data,
                "--hub.connectors-dir=" + connectors,
                "--server.address=127.0.0.1",
                "--hub.crm.kind=salesforce", "--camel.component.salesforce.login-url=" + sfUrl,
                "--camel.component.salesforce.client-id=" + SalesforceDouble.CLIENT_ID,
                "--camel.component.salesforce.user-name=" + SalesforceDouble.USER_NAME,
                "--camel.component.salesforce.lazy-login=true"));
        args.addAll(hubProperties);
        Map<String, String> env = Map.of("TYPEFORM_WEBHOOK_SECRET", typeformSecret, "WEBFORM_WEBHOOK_SECRET", webformToken,
                "STRIPE_WEBHOOK_SECRET", stripeSecret, "HUB_ADMIN_PASSWORD", adminPassword,
                "CAMEL_COMPONENT_SALESFORCE_CLIENT_SECRET", sfClientSecret, "CAMEL_COMPONENT_SALESFORCE_PASSWORD", sfPassword);
        System.out.println("starting the hub…");
        long t0 = System.nanoTime();
        Child hub = start("hub", jvm, args, env, "Tomcat started on port ");
        String port = hub.url.replaceAll("^(\\d+).*$", "$1");
        hub.url = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(hub.url + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    break;
                }
            } catch (IOException e) {
                // not serving yet
            }
            if (System.nanoTime() > deadline || !hub.process.isAlive()) {
                throw new IllegalStateException("the hub did not become healthy within 120 s; see " + hub.log);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        System.out.printf(Locale.ROOT, "hub healthy on %s in %.1f s%n", hub.url, (System.nanoTime() - t0) / 1e9);
        return hub;
    }

    /** The connector secrets, for the load generator to sign with. */
    private Map<String, String> loadEnv() {
        return Map.of("TYPEFORM_WEBHOOK_SECRET", typeformSecret, "WEBFORM_WEBHOOK_SECRET", webformToken,
                "STRIPE_WEBHOOK_SECRET", stripeSecret);
    }

    private Child start(String name, List<String> jvm, List<String> args, String readyLine) throws Exception {
        return start(name, jvm, args, Map.of(), readyLine);
    }

    /** Starts {@code java -jar <jar> args…}; with a ready line, waits for it in the log and keeps what follows as url. */
    private Child start(String name, List<String> jvm, List<String> args, Map<String, String> env, String readyLine)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        Path log = work.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Child child = new Child(name, pb.start(), log);
        children.add(child);
        if (readyLine == null) {
            return child;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            int at = text.indexOf(readyLine);
            if (at >= 0) {
                int end = text.indexOf('\n', at);
                if (end > 0) {
                    child.url = text.substring(at + readyLine.length(), end).trim();
                    return child;
                }
            }
            if (!child.process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + child.process.exitValue() + "; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException(name + " did not start within 120 s; see " + log);
    }

    private void stop(Child child) {
        children.remove(child);
        try {
            child.process.getOutputStream().close();
        } catch (IOException e) {
            // it is going anyway
        }
        ProcessHandle handle = child.process.toHandle();
        List<ProcessHandle> descendants = handle.descendants().toList();
        stoppedPids.add(handle.pid());
        descendants.forEach(d -> stoppedPids.add(d.pid()));
        child.process.destroy();
        try {
            if (!child.process.waitFor(child.name.equals("hub") ? 60 : 10, TimeUnit.SECONDS)) {
                child.process.destroyForcibly();
                child.process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops every child (the hub last, gracefully, so its PostgreSQL shuts down cleanly); removes the work folder. */
    private synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<Child> all = new ArrayList<>(children);
        all.sort(Comparator.comparing(c -> c.name.equals("hub") ? 1 : 0));
        for (Child c : all) {
            stop(c);
        }
        // a hub killed hard leaves its postmaster behind: stop it by the pid in its data folder
        try {
            long pm = postmasterPid(work.resolve("hub-data"));
            stoppedPids.add(pm);
            ProcessHandle.of(pm).filter(ProcessHandle::isAlive).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        } catch (Exception e) {
            // no postmaster
        }
        System.out.println("bench: stopped child processes " + stoppedPids);
        if (!options.containsKey("keep") && Files.exists(work)) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove " + work + ": " + e.getMessage());
            }
        }
    }

    private static final class Child {
        final String name;
        final Process process;
        final Path log;
        volatile String url;

        Child(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }
    }

    // ---- observing

    /** Polls the hub's heap and resident memory while a phase runs, keeping the peaks. */
    private static final class MemoryPoller {
        final AtomicLong heapPeak = new AtomicLong();
        final AtomicLong rssPeak = new AtomicLong();
        private final String url;
        private volatile boolean running = true;
        private Thread thread;

        MemoryPoller(String url) {
            this.url = url;
        }

        void start() {
            thread = new Thread(() -> {
                // bounded by stop(); one sample every 500 ms (the metrics endpoint costs the hub CPU too)
                while (running) {
                    try {
                        heapPeak.accumulateAndGet((long) metric(url, "jvm.memory.used", "area:heap"), Math::max);
                        rssPeak.accumulateAndGet((long) metric(url, "hub.process.resident.bytes", null), Math::max);
                        TimeUnit.MILLISECONDS.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a missed sample
                    }
                }
            }, "bench-memory");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /** The hub JVM's JIT compilation time so far, in ms (Micrometer's {@code jvm.compilation.time}, a counter). */
    private static double compilationMillis(String url) throws Exception {
        JsonNode m = get(url + "/actuator/metrics/jvm.compilation.time");
        for (JsonNode v : m.path("measurements")) {
            return v.path("value").asDouble();
        }
        return Double.NaN;
    }

    private static double metric(String url, String name, String tag) throws Exception {
        JsonNode m = get(url + "/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + tag));
        for (JsonNode v : m.path("measurements")) {
            if (v.path("statistic").asText().equals("VALUE")) {
                return v.path("value").asDouble();
            }
        }
        return 0;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    private void awaitCount(Connection db, String sql, long expected, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long n;
        while ((n = count(db, sql)) != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within " + maxSeconds + " s: " + sql + " is " + n
                        + ", expected " + expected);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Timestamp timestamp(Connection db, String sql, Timestamp arg) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setTimestamp(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1);
            }
        }
    }

    private static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** CPU of the PostgreSQL postmaster and its backends alive now (the hub's pool keeps them for the run). */
    private static Duration pgCpu(long postmaster) {
        return ProcessHandle.of(postmaster).map(p -> Stream.concat(Stream.of(p), p.descendants())
                .map(Bench::cpu).reduce(Duration.ZERO, Duration::plus)).orElse(Duration.ZERO);
    }

    /** The CPU time of the PostgreSQL backend serving the bench's own connection. */
    private static Duration ownBackendCpu(Connection db) throws SQLException {
        return ProcessHandle.of(count(db, "select pg_backend_pid()")).map(Bench::cpu).orElse(Duration.ZERO);
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    }

    private static int postmasterPort(Path dataDir) throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** A numeric option outside its range, or no number, is named before anything starts. */
    private static void checkNumber(Map<String, String> o, String name, double min, double max) {
        String v = o.get(name);
        if (v == null) {
            return;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", not " + v);
        }
    }

    private int intOption(String name, int dflt) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(dflt)));
    }

    private String hubProperty(String name, String dflt) {
        for (String p : hubProperties) {
            if (p.startsWith("--" + name + "=")) {
                return p.substring(name.length() + 3);
            }
        }
        return dflt;
    }

    private static String secret() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The figures of one measured phase. */
    static final class Figures {
        static final String HEADER = "| customers preloaded | rate/s (0 = max) | clients | sent | accepted/s | 202 p50 ms | p95 ms | p99 ms "
                + "| processed/s | webhook→CRM p50 ms | p95 ms | p99 ms | SF API calls per 1,000 touchpoints | records per call "
                + "| heap peak MiB | RSS peak MiB | CPU s per 1,000 events (hub JVM + PostgreSQL) | accepted ÷ bare HTTP→Artemis "
                + "| processed ÷ bare JDBC upserts | load avg (1/5/15 min) | processed/s (drain) | backlog at end of ingest "
                + "| probabilistic decisions: merge / review / new | deterministic | load generator CPU s per 1,000 requests "
                + "| hub JIT compilation s per 1,000 events |";
        static final String SEPARATOR = "|" + " --- |".repeat(26);

        final int sent;
        final int uniqueAccepted;
        final int errors;
        final long startEpochMillis;
        final double acceptedPerSecond;
        final double p50;
        final double p95;
        final double p99;
        final long endEpochMillis;
        final double generatorCpu;
        double processedPerSecond;
        long backlog;
        double drainPerSecond;
        final Map<String, Long> decisions = new LinkedHashMap<>();
        long touchpoints;
        double crmP50;
        double crmP95;
        double crmP99;
        long apiCalls;
        double recordsPerCall;
        double hubCpu;
        double pgCpu;
        double jitSeconds;
        double heapPeak;
        double rssPeak;
        String loadAverage;

        Figures(JsonNode r) {
            sent = r.path("sent").asInt();
            uniqueAccepted = r.path("uniqueAccepted").asInt();
            errors = r.path("errors").asInt();
            startEpochMillis = r.path("startEpochMillis").asLong();
            acceptedPerSecond = r.path("accepted").asInt() / r.path("seconds").asDouble();
            p50 = r.path("p50").asDouble();
            p95 = r.path("p95").asDouble();
            p99 = r.path("p99").asDouble();
            endEpochMillis = r.path("endEpochMillis").asLong();
            generatorCpu = r.path("cpuSeconds").asDouble(Double.NaN);
        }

        String row(int preloaded, double rate, int clients, Figures bare, double upserts) {
            double perThousand = 1000.0 / Math.max(1, sent);
            return String.format(Locale.ROOT, "| %,d | %.0f | %d | %d | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f "
                            + "| %.1f | %.1f | %.0f | %.0f | %.2f + %.2f | %.2f | %.2f | %s | %s | %,d | %,d / %,d / %,d | %,d | %.2f | %.2f |",
                    preloaded, rate, clients, sent, acceptedPerSecond, p50, p95, p99, processedPerSecond, crmP50, crmP95, crmP99,
                    touchpoints == 0 ? Double.NaN : apiCalls * 1000.0 / touchpoints, recordsPerCall, heapPeak, rssPeak,
                    hubCpu * perThousand, pgCpu * perThousand, bare == null ? Double.NaN : acceptedPerSecond / bare.acceptedPerSecond,
                    processedPerSecond / upserts, loadAverage,
                    Double.isNaN(drainPerSecond) ? "–" : String.format(Locale.ROOT, "%.0f", drainPerSecond), backlog,
                    decisions.getOrDefault("MERGE", 0L), decisions.getOrDefault("REVIEW", 0L), decisions.getOrDefault("NO_MATCH", 0L),
                    decisions.getOrDefault("DETERMINISTIC", 0L), generatorCpu * perThousand, jitSeconds * perThousand);
        }
    }
}
