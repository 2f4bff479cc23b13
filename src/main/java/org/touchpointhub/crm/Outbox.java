package org.touchpointhub.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox as delivery uses it: one row per changed customer, claimed with a lease and finished in one
 * transaction together with everything the CRM answered.
 *
 * <p>Why a lease and not a transaction held across the CRM call: the pipeline upserts a customer's outbox row in
 * the same transaction as the event that changed it, so a row lock held for a whole HTTP round trip (seconds during an
 * outage) would stall event processing. The claim instead moves {@code due_at} into the future in one short
 * statement ({@code FOR UPDATE SKIP LOCKED}, so hub instances never claim the same row); a hub that dies before it
 * finishes simply lets the lease run out and another run sends the customer again, which upsert by external id
 * makes harmless. Finishing deletes the row only when {@code changed_at} is still the one claimed: a change that
 * arrived meanwhile is delivered by the next run.
 */
final class Outbox {

    /** A claimed outbox row: the customer and the change time it was claimed at (microseconds since the epoch). */
    record Claim(long customerId, long changedMicros, long ageMillis) {}

    /** What becomes of a claimed customer when a run ends. */
    enum Status {
        /** Everything written or dead-lettered: the row goes unless the customer changed meanwhile. */
        DONE,
        /** A record was refused for a passing reason: send again after the retry delay. */
        RETRY,
        /** The CRM became unavailable (or the API allocation ran short): send again after the pause. */
        INTERRUPTED,
        /**
         * Nothing was sent (the customer's stored data could not be read): the row is left as claimed, so it is tried
         * again when its lease ends.
         */
        LEASED
    }

    /** A record the CRM refused for good, with its own error. */
    record DeadLetter(String object, String externalId, String code, String message, String payload) {}

    /**
     * How a run ended for one customer.
     *
     * @param crmIds    CRM object to the CRM's id, for the customer's own and parent records that were written
     * @param delivered touchpoint ids whose activity was written
     */
    record Outcome(long customerId, long changedMicros, Status status, String error, Map<String, String> crmIds,
            List<Long> delivered, List<DeadLetter> deadLetters) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String crm;

    Outbox(JdbcTemplate jdbc, TransactionTemplate tx, String crm) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.crm = crm;
    }

    /** Claims up to {@code limit} due customers, oldest due first, leasing them for {@code lease}. */
    List<Claim> claim(int limit, Duration lease) {
        return jdbc.query("with due as (select customer_id from outbox where due_at <= now() order by due_at limit ? "
                        + "for update skip locked) "
                        + "update outbox o set due_at = now() + make_interval(secs => ?) from due "
                        + "where o.customer_id = due.customer_id returning o.customer_id, "
                        + "(extract(epoch from o.changed_at) * 1000000)::bigint as changed_us, "
                        + "(extract(epoch from now() - o.changed_at) * 1000)::bigint as age_ms",
                (rs, i) -> new Claim(rs.getLong(1), rs.getLong(2), rs.getLong(3)), limit, lease.toMillis() / 1000.0);
    }

    /** Customers among these that were merged into another (the survivor is delivered instead). */
    List<Long> mergedAway(Collection<Long> customerIds) {
        return jdbc.query(con -> {
            var ps = con.prepareStatement("select id from customers where id = any(?) and merged_into is not null");
            ps.setArray(1, con.createArrayOf("bigint", customerIds.toArray()));
            return ps;
        }, (rs, i) -> rs.getLong(1));
    }

    /** Customers waiting for delivery. */
    long depth() {
        Long depth = jdbc.queryForObject("select count(*) from outbox", Long.class);
        return depth == null ? 0 : depth;
    }

    /**
     * Writes back what a run achieved, in one transaction: CRM ids on the customers, delivered touchpoints, dead
     * letters, and each outbox row removed or made due again. Each of these is one statement for the whole run
     * whatever its number of customers (#7; dead letters, which are rare, one or two each), with array parameters so
     * the statement text, and the driver's prepared statement, is the same for every run.
     *
     * @return for each touchpoint delivered now, milliseconds from its event's receipt at the edge to now
     */
    List<Long> finish(List<Outcome> outcomes, Duration pause, Duration retryDelay) {
        return tx.execute(status -> {
            // one merged map per customer (a customer is claimed once per run; merging keeps a repeat harmless)
            Map<Long, Map<String, String>> crmIds = new TreeMap<>();
            List<Long> delivered = new ArrayList<>();
            for (Outcome outcome : outcomes) {
                if (!outcome.crmIds().isEmpty()) {
                    crmIds.computeIfAbsent(outcome.customerId(), k -> new LinkedHashMap<>()).putAll(outcome.crmIds());
                }
                delivered.addAll(outcome.delivered());
                for (DeadLetter deadLetter : outcome.deadLetters()) {
                    deadLetter(outcome.customerId(), deadLetter);
                }
            }
            if (!crmIds.isEmpty()) {
                List<String> values = new ArrayList<>(crmIds.size());
                crmIds.values().forEach(ids -> values.add(json(ids)));
                jdbc.update(con -> {
                    var ps = con.prepareStatement("update customers c set crm_ids = c.crm_ids || x.v::jsonb "
                            + "from unnest(?::bigint[], ?::text[]) as x(id, v) where c.id = x.id");
                    ps.setArray(1, con.createArrayOf("bigint", crmIds.keySet().toArray()));
                    ps.setArray(2, con.createArrayOf("text", values.toArray()));
                    return ps;
                });
            }
            List<Long> latencies = delivered.isEmpty() ? List.of() : jdbc.query(con -> {
                // measured from the edge's receipt of the event (what a webhook sender waits for), falling back to
                // the touchpoint's recording for the rare touchpoint without its event row
                var ps = con.prepareStatement("update touchpoints t set delivered_at = now() where t.id = any(?) "
                        + "and t.delivered_at is null returning (extract(epoch from now() - coalesce((select e.received_at "
                        + "from events e where e.connector = t.connector and e.event_id = t.event_id), t.recorded_at)) * 1000)::bigint");
                Array ids = con.createArrayOf("bigint", delivered.toArray());
                ps.setArray(1, ids);
                return ps;
            }, (rs, i) -> rs.getLong(1));
            settle(outcomes, pause, retryDelay);
            return latencies;
        });
    }

    /**
     * Removes the rows of customers done with (unless they changed while being sent: those are made due again, to
     * deliver the newer state soon) and makes the others due again after the retry delay or the pause.
     */
    private void settle(List<Outcome> outcomes, Duration pause, Duration retryDelay) {
        List<Long> done = new ArrayList<>();
        List<Long> doneMicros = new ArrayList<>();
        List<Long> again = new ArrayList<>();
        List<Double> againSeconds = new ArrayList<>();
        List<String> againErrors = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            switch (outcome.status()) {
                case DONE:
                    done.add(outcome.customerId());
                    doneMicros.add(outcome.changedMicros());
                    break;
                case LEASED:
                    break;
                default:
                    again.add(outcome.customerId());
                    againSeconds.add((outcome.status() == Status.RETRY ? retryDelay : pause).toMillis() / 1000.0);
                    againErrors.add(outcome.error());
            }
        }
        if (!done.isEmpty()) {
            Set<Long> deleted = new HashSet<>(jdbc.query(con -> {
                var ps = con.prepareStatement("delete from outbox o using unnest(?::bigint[], ?::bigint[]) as x(id, us) "
                        + "where o.customer_id = x.id and (extract(epoch from o.changed_at) * 1000000)::bigint = x.us "
                        + "returning o.customer_id");
                ps.setArray(1, con.createArrayOf("bigint", done.toArray()));
                ps.setArray(2, con.createArrayOf("bigint", doneMicros.toArray()));
                return ps;
            }, (rs, i) -> rs.getLong(1)));
            List<Long> changed = new ArrayList<>();
            for (Long id : done) {
                if (!deleted.contains(id)) {
                    changed.add(id);
                }
            }
            if (!changed.isEmpty()) {
                // changed while we were sending: deliver the newer state soon, coalesced with anything else
                jdbc.update(con -> {
                    var ps = con.prepareStatement("update outbox set due_at = now(), attempts = 0, last_error = null "
                            + "where customer_id = any(?)");
                    ps.setArray(1, con.createArrayOf("bigint", changed.toArray()));
                    return ps;
                });
            }
        }
        if (!again.isEmpty()) {
            jdbc.update(con -> {
                var ps = con.prepareStatement("update outbox o set due_at = now() + make_interval(secs => x.secs), "
                        + "attempts = o.attempts + 1, last_error = x.error "
                        + "from unnest(?::bigint[], ?::float8[], ?::text[]) as x(id, secs, error) where o.customer_id = x.id");
                ps.setArray(1, con.createArrayOf("bigint", again.toArray()));
                ps.setArray(2, con.createArrayOf("float8", againSeconds.toArray()));
                ps.setArray(3, con.createArrayOf("text", againErrors.toArray()));
                return ps;
            });
        }
    }

    /** One open dead letter per refused record: a record refused again updates it rather than adding another. */
    private void deadLetter(long customerId, DeadLetter d) {
        String reason = crm + " refused " + d.object() + " " + d.externalId() + ": " + d.code();
        byte[] payload = d.payload().getBytes(StandardCharsets.UTF_8);
        int updated = jdbc.update("update dead_letters set created_at = now(), reason = ?, crm_code = ?, crm_message = ?, "
                        + "payload = ? where stage = 'deliver' and status = 'open' and customer_id = ? and crm_object = ? "
                        + "and event_id = ?",
                reason, d.code(), d.message(), payload, customerId, d.object(), d.externalId());
        if (updated == 0) {
            jdbc.update("insert into dead_letters (stage, connector, event_id, reason, content_type, payload, customer_id, "
                            + "crm_object, crm_code, crm_message) values ('deliver', ?, ?, ?, 'application/json', ?, ?, ?, ?, ?)",
                    crm, d.externalId(), reason, payload, customerId, d.object(), d.code(), d.message());
        }
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CRM ids cannot be written as JSON", e);
        }
    }
}
