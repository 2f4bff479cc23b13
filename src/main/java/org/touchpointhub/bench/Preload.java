package org.touchpointhub.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.enrich.EmailAddresses;
import org.touchpointhub.enrich.Normalizer;
import org.touchpointhub.identity.BlockingKeys;
import org.touchpointhub.identity.IdentityKey;
import org.touchpointhub.identity.PersonAttributes;

/**
 * Fills a hub's store with customers of the benchmark's population ({@link People}) fast, straight into its schema
 * (not through webhooks), so the benchmark can show how the cost per event grows with the store.
 *
 * <p>Every preloaded customer looks like one the live path made from one touchpoint: the person's attributes
 * normalized by the hub's {@link Normalizer}, one observation per attribute (linked to the touchpoint, as matching
 * reads them), the golden record in the hub's {@code {v, p, t, s}} shape, the identity keys of
 * {@link IdentityKey#of} and the blocking keys computed by the same code the live path uses
 * ({@code BlockingKeys.of(PersonAttributes.fromAttributes(…))}), and one touchpoint already delivered.
 *
 * <p>Why COPY: the rows are generated in Java (the keys need the hub's normalization and phonetic code, which
 * PostgreSQL cannot compute) and streamed with PostgreSQL's COPY protocol ({@link CopyManager}), the fastest way in
 * from a client, in chunks of {@value #CHUNK} people, one transaction each. The next chunk is generated on another
 * thread while the current one is copied. The bulk load alone runs with {@code synchronous_commit=off} (it is
 * repeatable; a crash loses nothing the hub acknowledged), without the foreign-key triggers (the rows are consistent
 * by construction) and with a larger {@code max_wal_size}, as PostgreSQL's "Populating a Database" advises;
 * {@code vacuum (analyze)} of the filled tables and a checkpoint follow, and the settings are put back. Preloaded ids (customers,
 * touchpoints) start at {@link #ID_BASE}, far above the hub's own sequences, so they never collide.
 */
public final class Preload {

    /** The first customer (and touchpoint) id of preloaded customers. */
    public static final long ID_BASE = 1_000_000_000L;

    /** Preloaded people are people {@code 0 … n-1} of the population; the load's own people start here. */
    static final int MAX_PRELOAD = 4_000_000;

    /** The population's seed, shared by the preload and the load generator. */
    static final long SEED = 42;

    private static final int CHUNK = 50_000;
    private static final String SOURCE = "preload";
    private static final int PRIORITY = 50;
    private static final String REGION = "US";
    private static final Normalizer NORMALIZER = new Normalizer(REGION);

    private Preload() {
    }

    /** What a preload did: customers and the rows it wrote, and the seconds it took. */
    record Report(int customers, long rows, long blockingKeys, double seconds) {
    }

    /**
     * Adds preloaded persons {@code from} (inclusive) to {@code to} (exclusive) in chunks, one transaction each.
     */
    public static Report load(Connection db, int from, int to) throws SQLException {
        if (from < 0 || to > MAX_PRELOAD || from > to) {
            throw new IllegalArgumentException("preload range " + from + "…" + to + " is outside 0…" + MAX_PRELOAD);
        }
        long t0 = System.nanoTime();
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        Instant observed = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        ExecutorService generator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "preload-generator");
            t.setDaemon(true);
            return t;
        });
        long rows = 0;
        long blocking = 0;
        try (Statement st = db.createStatement()) {
            // PostgreSQL's bulk-load advice: a larger max_wal_size for the load, so checkpoints (and the full-page
            // images after each) do not come every gigabyte of WAL; reset afterwards, with a checkpoint, so the
            // measured phases run on the server's own settings
            db.setAutoCommit(true);
            st.execute("alter system set max_wal_size = '16GB'");
            st.execute("select pg_reload_conf()");
            db.setAutoCommit(false);
            // bulk load of a benchmark store: repeatable, so it need not wait for each WAL flush
            st.execute("set synchronous_commit = off");
            // the rows are consistent by construction (parents are copied first), so the foreign-key triggers, one
            // index probe per row, are skipped for this session only: PostgreSQL's own bulk-load advice, without
            // dropping the constraints the running hub relies on (needs the superuser the embedded store has)
            st.execute("set session_replication_role = replica");
            db.commit();
            CompletableFuture<Chunk> next = CompletableFuture.supplyAsync(() -> Chunk.of(from, Math.min(to, from + CHUNK), observed), generator);
            for (int lo = from; lo < to; lo += CHUNK) {
                Chunk chunk = next.join();
                int nextLo = lo + CHUNK;
                if (nextLo < to) {
                    next = CompletableFuture.supplyAsync(() -> Chunk.of(nextLo, Math.min(to, nextLo + CHUNK), observed), generator);
                }
                rows += chunk.copy(copy);
                blocking += chunk.blockingKeys;
                db.commit();
            }
            db.commit();
            // VACUUM, not only ANALYZE: a store in service has been vacuumed. Right after a bulk load, autovacuum
            // starts on each table it filled (its insert threshold) and ran through the first measured phase, and
            // the first reads of every copied page wrote it again to set its hint bits; both competed with the hub
            // for the two cores and showed in the 202 p99 of the phase after each preload. Outside a transaction.
            db.setAutoCommit(true);
            for (String table : List.of("customers", "identity_keys", "observations", "touchpoints", "blocking_keys")) {
                st.execute("vacuum (analyze) " + table);
            }
            st.execute("checkpoint");
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), e);
        } finally {
            generator.shutdownNow();
            if (!db.getAutoCommit()) {
                db.rollback();
            }
            db.setAutoCommit(true);
            try (Statement st = db.createStatement()) {
                st.execute("set synchronous_commit = on");
                st.execute("set session_replication_role = origin");
                st.execute("alter system reset max_wal_size");
                st.execute("select pg_reload_conf()");
            }
            db.setAutoCommit(auto);
        }
        return new Report(to - from, rows, blocking, (System.nanoTime() - t0) / 1e9);
    }

    /** The COPY text of one chunk of people, per table. */
    private static final class Chunk {
        final StringBuilder customers = new StringBuilder();
        final StringBuilder identityKeys = new StringBuilder();
        final StringBuilder touchpoints = new StringBuilder();
        final StringBuilder observations = new StringBuilder();
        final StringBuilder blocking = new StringBuilder();
        long rows;
        long blockingKeys;

        static Chunk of(int lo, int hi, Instant observed) {
            // people are independent: generate them on both cores, then append in order
            List<Rows> people = IntStream.range(lo, hi).parallel().mapToObj(k -> Rows.of(k, observed)).toList();
            Chunk c = new Chunk();
            // blocking keys in key order: consecutive inserts land on the same pages of the (key, customer) index
            List<String> blockingLines = new java.util.ArrayList<>();
            for (Rows r : people) {
                c.customers.append(r.customer);
                c.identityKeys.append(r.identityKeys);
                c.touchpoints.append(r.touchpoint);
                c.observations.append(r.observations);
                r.blocking.lines().forEach(blockingLines::add);
                c.rows += r.rows;
                c.blockingKeys += r.blockingKeys;
            }
            blockingLines.sort(null);
            blockingLines.forEach(l -> c.blocking.append(l).append('\n'));
            return c;
        }

        long copy(CopyManager copy) throws SQLException, IOException {
            // parents first: touchpoints and keys refer to customers, observations to touchpoints
            copy.copyIn("copy customers (id, golden, updated_at) from stdin", new StringReader(customers.toString()));
            copy.copyIn("copy touchpoints (id, customer_id, touchpoint_key, connector, event_id, type, channel, occurred_at, "
                    + "summary, delivered_at, match) from stdin", new StringReader(touchpoints.toString()));
            copy.copyIn("copy identity_keys (kind, value, customer_id) from stdin", new StringReader(identityKeys.toString()));
            copy.copyIn("copy observations (customer_id, touchpoint_id, attribute, value, source, priority, observed_at) "
                    + "from stdin", new StringReader(observations.toString()));
            copy.copyIn("copy blocking_keys (key, customer_id) from stdin", new StringReader(blocking.toString()));
            return rows;
        }
    }

    /** The rows of one preloaded person, as COPY text lines. */
    private record Rows(String customer, String identityKeys, String touchpoint, String observations, String blocking,
            int rows, int blockingKeys) {

        static Rows of(int k, Instant observed) {
            long id = ID_BASE + k;
            PersonFacts person = person(k);
            String time = observed.toString();
            StringBuilder keys = new StringBuilder();
            int rows = 2;
            for (IdentityKey key : IdentityKey.of(person)) {
                line(keys, key.kind(), key.value(), Long.toString(id));
                rows++;
            }
            StringBuilder obs = new StringBuilder();
            Map<String, Object> golden = new LinkedHashMap<>();
            for (var a : person.attributes().entrySet()) {
                line(obs, Long.toString(id), Long.toString(id), a.getKey(), a.getValue(), SOURCE, Integer.toString(PRIORITY), time);
                golden.put(a.getKey(), a.getValue());
                rows++;
            }
            StringBuilder blocks = new StringBuilder();
            PersonAttributes match = PersonAttributes.fromAttributes(SOURCE + ":" + k, person.attributes(), SOURCE, REGION);
            int n = 0;
            for (String b : BlockingKeys.of(match)) {
                line(blocks, b, Long.toString(id));
                n++;
            }
            StringBuilder customer = new StringBuilder();
            line(customer, Long.toString(id), golden(golden, observed.toEpochMilli()), time);
            StringBuilder touchpoint = new StringBuilder();
            line(touchpoint, Long.toString(id), Long.toString(id), SOURCE + ":pre-" + k, SOURCE, "pre-" + k, "form_submitted",
                    "web", time, "Preloaded", time, PersonAttributes.matchRecord(person.attributes(), SOURCE));
            return new Rows(customer.toString(), keys.toString(), touchpoint.toString(), obs.toString(), blocks.toString(),
                    rows + n, n);
        }

        /** The golden record of a customer seen once: every attribute from the one source, {@code {v, p, t, s}}. */
        private static String golden(Map<String, Object> values, long time) {
            JsonStringEncoder enc = JsonStringEncoder.getInstance();
            StringBuilder sb = new StringBuilder("{");
            values.forEach((k, v) -> {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append('"').append(enc.quoteAsString(k)).append("\":{\"v\":\"").append(enc.quoteAsString(String.valueOf(v)))
                        .append("\",\"p\":").append(PRIORITY).append(",\"t\":").append(time).append(",\"s\":\"")
                        .append(SOURCE).append("\"}");
            });
            return sb.append('}').toString();
        }
    }

    /** Person {@code k}'s facts as the live path would hold them after normalization (company domain included). */
    static PersonFacts person(int k) {
        PersonFacts person = NORMALIZER.person(new PersonFacts(People.person(SEED, k).attributes(), Map.of()));
        Optional<String> domain = EmailAddresses.companyDomain(person.get("email"));
        if (domain.isPresent()) {
            Map<String, String> a = new LinkedHashMap<>(person.attributes());
            a.put("company_domain", domain.get());
            person = new PersonFacts(a, person.externalIds());
        }
        return person;
    }

    /** Appends one COPY text line, escaping what the text format treats specially. */
    private static void line(StringBuilder sb, String... columns) {
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            String c = columns[i];
            for (int j = 0; j < c.length(); j++) {
                char ch = c.charAt(j);
                switch (ch) {
                    case '\\' -> sb.append("\\\\");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(ch);
                }
            }
        }
        sb.append('\n');
    }
}
