package org.touchpointhub.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Joins a visitor's anonymous history to the person once an event links the two: when an event carrying an
 * {@code anon} key (a tracking cookie) resolved to a customer other than the one holding that key, and that other
 * customer is <em>purely anonymous</em> (it holds no key but cookies), its touchpoints, observations and keys move to
 * the resolved customer, it is marked merged into it, and the golden record is recomputed. Runs in the caller's
 * transaction, after {@link CustomerStore#resolve} took the advisory locks on the event's keys.
 *
 * <p>Why only purely anonymous customers: a cookie on a shared computer can sit on two known people; merging two
 * customers that each have an email is the matcher's decision (with evidence and review), never a cookie's.
 */
@Repository
public class AnonymousStitching {

    private static final Logger log = LoggerFactory.getLogger(AnonymousStitching.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AnonymousStitching(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Moves the purely anonymous customers holding any of these {@code anon} keys into {@code customer}.
     *
     * @return how many anonymous customers were joined
     */
    public int joinAnonymous(long customer, List<IdentityKey> keys) {
        int joined = 0;
        for (IdentityKey key : keys) {
            if (!key.kind().equals("anon")) {
                continue;
            }
            List<Long> holders = jdbc.queryForList("select coalesce(c.merged_into, c.id) from identity_keys k "
                    + "join customers c on c.id = k.customer_id where k.kind = 'anon' and k.value = ?", Long.class, key.value());
            for (long anonymous : holders) {
                if (anonymous != customer && isPurelyAnonymous(anonymous)) {
                    move(anonymous, customer);
                    joined++;
                }
            }
        }
        if (joined > 0) {
            recomputeGolden(customer);
        }
        return joined;
    }

    private boolean isPurelyAnonymous(long customer) {
        return jdbc.queryForObject("select not exists (select 1 from identity_keys where customer_id = ? and kind <> 'anon')",
                Boolean.class, customer);
    }

    private void move(long anonymous, long customer) {
        jdbc.update("update touchpoints set customer_id = ? where customer_id = ?", customer, anonymous);
        jdbc.update("update observations set customer_id = ? where customer_id = ?", customer, anonymous);
        jdbc.update("update identity_keys set customer_id = ? where customer_id = ?", customer, anonymous);
        MergeLedger.moveBlockingKeys(jdbc, anonymous, customer);
        jdbc.update("update customers set merged_into = ? where merged_into = ?", customer, anonymous);
        jdbc.update("update customers set merged_into = ?, golden = '{}'::jsonb, updated_at = now() where id = ?", customer, anonymous);
        // a merged-away visitor is never delivered on its own: its history now travels with the person
        jdbc.update("delete from outbox where customer_id = ?", anonymous);
        log.info("Joined anonymous customer {} into customer {}", anonymous, customer);
    }

    /** The same rule as {@link CustomerStore#observe}: highest source priority, then the latest observation. */
    private void recomputeGolden(long customer) {
        Map<String, Map<String, Object>> golden = new LinkedHashMap<>();
        jdbc.query("select distinct on (attribute) attribute, value, priority, observed_at, source from observations "
                + "where customer_id = ? order by attribute, priority desc, observed_at desc, id desc", rs -> {
                    golden.put(rs.getString("attribute"), Map.of("v", rs.getString("value"), "p", rs.getInt("priority"),
                            "t", rs.getTimestamp("observed_at").toInstant().toEpochMilli(), "s", rs.getString("source")));
                }, customer);
        try {
            jdbc.update("update customers set golden = ?::jsonb, updated_at = now() where id = ?",
                    json.writeValueAsString(golden), customer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a golden record", e);
        }
    }
}
