package org.touchpointhub.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Fills a hub's store with synthetic customers fast, straight into its schema (not through webhooks), so the
 * benchmark can show that the cost per event stays flat as the store grows.
 *
 * <p>Why set-based {@code insert … select from generate_series}: the rows are generated inside PostgreSQL, so
 * nothing crosses the wire and the indexes are maintained once per statement; on this machine it beats both COPY
 * from the client and batched multi-row inserts. Every preloaded customer looks like one the hub made: a golden
 * record in the hub's {@code {v, p, t, s}} shape, an email and an E.164 phone identity key, three observations and
 * one touchpoint already delivered. Preloaded ids start at {@link #ID_BASE}, far above the hub's own sequence, so
 * the two never collide and the sequence needs no adjusting.
 */
public final class Preload {

    /** The first customer id of preloaded customers. */
    public static final long ID_BASE = 1_000_000_000L;

    private static final String[] AREAS = {"312", "415", "617", "718", "503", "206"};
    private static final int CHUNK = 100_000;

    private Preload() {
    }

    /** The email of preloaded person {@code k}. */
    public static String email(int k) {
        return "pre" + k + "@preload.example";
    }

    /** The E.164 phone of preloaded person {@code k} (a valid North American number, exchange 2xx). */
    public static String phone(int k) {
        return "+1" + AREAS[(k / 1_000_000) % AREAS.length] + "2" + String.format(Locale.ROOT, "%06d", k % 1_000_000);
    }

    /**
     * Adds preloaded persons {@code from} (inclusive) to {@code to} (exclusive), in chunks of 100,000 with one
     * transaction each; returns the seconds it took.
     */
    public static double load(Connection db, int from, int to) throws SQLException {
        long t0 = System.nanoTime();
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (Statement st = db.createStatement()) {
            // bulk load of a benchmark store: the preload is repeatable, so it need not wait for each WAL flush
            st.execute("set synchronous_commit = off");
        }
        try {
            for (int lo = from; lo < to; lo += CHUNK) {
                int hi = Math.min(to, lo + CHUNK);
                chunk(db, lo, hi);
                db.commit();
            }
            try (Statement st = db.createStatement()) {
                st.execute("analyze customers");
                st.execute("analyze identity_keys");
                st.execute("analyze observations");
                st.execute("analyze touchpoints");
            }
            db.commit();
        } finally {
            try (Statement st = db.createStatement()) {
                st.execute("set synchronous_commit = on");
            }
            db.setAutoCommit(auto);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void chunk(Connection db, int lo, int hi) throws SQLException {
        String series = " from generate_series(?, ?) g";
        String phone = "'+1' || (array['" + String.join("','", AREAS) + "'])[((g / 1000000) % " + AREAS.length
                + ") + 1] || '2' || lpad((g % 1000000)::text, 6, '0')";
        String email = "'pre' || g || '@preload.example'";
        String name = "'Preloaded Person ' || g";
        String golden = "jsonb_build_object("
                + "'email', jsonb_build_object('v', " + email + ", 'p', 50, 't', 0, 's', 'preload'), "
                + "'phone', jsonb_build_object('v', " + phone + ", 'p', 50, 't', 0, 's', 'preload'), "
                + "'full_name', jsonb_build_object('v', " + name + ", 'p', 50, 't', 0, 's', 'preload'))";
        long base = ID_BASE;
        run(db, "insert into customers (id, golden) select " + base + " + g, " + golden + series, lo, hi);
        run(db, "insert into identity_keys (kind, value, customer_id) select 'email', " + email + ", " + base + " + g"
                + series, lo, hi);
        run(db, "insert into identity_keys (kind, value, customer_id) select 'phone', " + phone + ", " + base + " + g"
                + series, lo, hi);
        run(db, "insert into touchpoints (customer_id, touchpoint_key, connector, event_id, type, channel, occurred_at, "
                + "summary, delivered_at) select " + base + " + g, 'preload:' || g, 'preload', 'pre-' || g, "
                + "'form_submitted', 'web', now() - interval '30 days', 'Preloaded', now()" + series, lo, hi);
        run(db, "insert into observations (customer_id, attribute, value, source, priority, observed_at) "
                + "select " + base + " + g, a.attribute, case a.attribute when 'email' then " + email
                + " when 'phone' then " + phone + " else " + name + " end, 'preload', 50, now() - interval '30 days'"
                + series + " cross join (values ('email'), ('phone'), ('full_name')) a(attribute)", lo, hi);
    }

    private static void run(Connection db, String sql, int lo, int hi) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setInt(1, lo);
            ps.setInt(2, hi - 1);
            ps.executeUpdate();
        }
    }
}
