package org.touchpointhub.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Repository;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.PersonFacts;

/**
 * Customers, their identity keys, observations, golden records and timelines in PostgreSQL. Every method runs
 * in the caller's transaction.
 *
 * <p>Why this shape: correctness under concurrency comes from PostgreSQL, not from message ordering. Before an
 * event's keys are looked up, a transaction-scoped advisory lock is taken on each key, in sorted order (so two
 * events never wait on each other in a cycle). Two events for one person, processed at the same time on two
 * consumers or two hub instances, therefore see each other's keys, and the unique constraint on
 * {@code identity_keys} is the last line of defence. The golden record is kept per attribute with the value's
 * source priority and time, so applying one more observation is a comparison, and a full recomputation from the
 * observations (after a merge or unmerge) gives the same answer.
 */
@Repository
public class CustomerStore {

    private static final TypeReference<Map<String, Map<String, Object>>> GOLDEN = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    // the golden record's reader, its type resolved once (readValue(text, GOLDEN) resolved it on every event)
    private final ObjectReader goldenReader;
    private final Survivorship survivorship;

    CustomerStore(JdbcTemplate jdbc, ObjectMapper json, IdentityProperties settings) {
        this.jdbc = jdbc;
        this.json = json;
        this.goldenReader = json.readerFor(GOLDEN);
        this.survivorship = settings.toSurvivorship();
    }

    /**
     * Finds the customer these keys belong to, or creates one, and claims the keys no one holds yet: deterministic
     * keys only, for callers that must not match fuzzily; the pipeline resolves through {@link IdentityResolver}.
     *
     * @return the customer id
     */
    public long resolve(List<IdentityKey> keys) {
        for (IdentityKey key : keys) {
            jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", key.lockText());
        }
        Long customer = null;
        int best = -1;
        if (!keys.isEmpty()) {
            StringBuilder sql = new StringBuilder("select k.kind, k.value, coalesce(c.merged_into, c.id) as customer_id "
                    + "from identity_keys k join customers c on c.id = k.customer_id where (k.kind, k.value) in (");
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
                args.add(keys.get(i).kind());
                args.add(keys.get(i).value());
            }
            sql.append(")");
            for (Map<String, Object> row : jdbc.queryForList(sql.toString(), args.toArray())) {
                int strength = new IdentityKey((String) row.get("kind"), (String) row.get("value")).strength();
                if (strength > best) {
                    best = strength;
                    customer = ((Number) row.get("customer_id")).longValue();
                }
            }
        }
        if (customer == null) {
            customer = jdbc.queryForObject("insert into customers default values returning id", Long.class);
        }
        for (IdentityKey key : keys) {
            jdbc.update("insert into identity_keys (kind, value, customer_id) values (?, ?, ?) on conflict do nothing",
                    key.kind(), key.value(), customer);
        }
        return customer;
    }

    /**
     * What {@link #appendAndObserve} did.
     *
     * @param touchpointId the new touchpoint's id
     * @param golden the customer's new golden record as JSON, to write with {@link #writeGolden}; null when unchanged
     */
    public record Appended(long touchpointId, String golden) {
    }

    /**
     * Appends a touchpoint to a customer's timeline, records what the source said about the person and reads the
     * golden record locked for update, in one statement; returns the touchpoint and the golden record with these
     * observations folded in (written by {@link #writeGolden}), or empty when this touchpoint was recorded before.
     * The touchpoint carries its match record ({@link PersonAttributes#matchRecord}), which the resolver reads candidates from.
     */
    public Optional<Appended> appendAndObserve(long customerId, String eventId, CanonicalTouchpoint tp, PersonFacts person,
            String source, int priority, Instant observedAt) {
        List<String> attributes = new ArrayList<>(person.attributes().keySet());
        List<String> values = new ArrayList<>(person.attributes().values());
        Timestamp at = Timestamp.from(observedAt);
        List<Object[]> rows = jdbc.query("with t as (insert into touchpoints (customer_id, touchpoint_key, "
                        + "connector, event_id, type, channel, occurred_at, summary, attributes, match) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb) "
                        + "on conflict (touchpoint_key) do nothing returning id), "
                        + "o as (insert into observations (customer_id, touchpoint_id, attribute, value, source, priority, observed_at) "
                        + "select ?, t.id, x.a, x.v, ?, ?, ? from t, unnest(?::text[], ?::text[]) with ordinality as x(a, v, n) "
                        + "order by x.n) "
                        + "select t.id, c.golden::text from t, customers c where c.id = ? for update of c",
                (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)},
                customerId, tp.connector() + ":" + tp.key(), tp.connector(), eventId, tp.type(), text(tp.channel()),
                Timestamp.from(tp.occurredAt()), text(tp.summary()), write(tp.attributes()), text(PersonAttributes.matchRecord(person.attributes(), source)),
                customerId, source, priority, at, IdentityResolver.textArray(attributes), IdentityResolver.textArray(values),
                customerId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<String, Object>> golden = read((String) rows.get(0)[1]);
        boolean changed = fold(golden, person, source, priority, observedAt);
        return Optional.of(new Appended((Long) rows.get(0)[0], changed ? write(golden) : null));
    }

    /** A nullable text parameter, typed: a bare null makes the driver describe the statement first (a round trip). */
    private static SqlParameterValue text(String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    /** Writes a golden record from {@link #appendAndObserve} (when not null) and marks the customer for delivery, in one statement. */
    public void writeGolden(long customerId, String golden, boolean markChanged) {
        if (golden != null && markChanged) {
            // the change time is the statement's (clock_timestamp), not the start of a batch's transaction: delivery
            // waits for company by the age of a change, which a long batch would otherwise inflate
            jdbc.update("with g as (update customers set golden = ?::jsonb, updated_at = now() where id = ?) "
                    + "insert into outbox (customer_id, changed_at, due_at) values (?, clock_timestamp(), clock_timestamp()) "
                    + "on conflict (customer_id) do update set changed_at = clock_timestamp()",
                    golden, customerId, customerId);
        } else if (golden != null) {
            jdbc.update("update customers set golden = ?::jsonb, updated_at = now() where id = ?", golden, customerId);
        } else if (markChanged) {
            markChanged(customerId);
        }
    }

    /** Folds one source's values into a golden record by the survivorship rules; returns true when it changed. */
    private boolean fold(Map<String, Map<String, Object>> golden, PersonFacts person, String source, int priority,
            Instant observedAt) {
        boolean changed = false;
        int effective = survivorship.priority(source, priority);
        for (var e : person.attributes().entrySet()) {
            Map<String, Object> old = golden.get(e.getKey());
            Survivorship.Observed candidate = new Survivorship.Observed(e.getValue(), effective, observedAt.toEpochMilli(), source);
            if (survivorship.better(e.getKey(), candidate, old == null ? null : Survivorship.Observed.fromJson(old))) {
                if (old == null || !e.getValue().equals(old.get("v")) || !source.equals(old.get("s"))) {
                    changed = true;
                }
                golden.put(e.getKey(), candidate.toJson());
            }
        }
        return changed;
    }

    /** Recomputes a customer's golden record from all its observations (after a merge or an unmerge). */
    public void recomputeGolden(long customerId) {
        List<Map.Entry<String, Survivorship.Observed>> observed = jdbc.query("select attribute, value, source, priority, "
                + "observed_at from observations where customer_id = ? order by observed_at, id", (rs, n) -> Map.entry(
                        rs.getString("attribute"), new Survivorship.Observed(rs.getString("value"),
                                survivorship.priority(rs.getString("source"), rs.getInt("priority")),
                                rs.getTimestamp("observed_at").getTime(), rs.getString("source"))), customerId);
        Map<String, Object> golden = new LinkedHashMap<>();
        survivorship.golden(observed).forEach((k, v) -> golden.put(k, v.toJson()));
        jdbc.update("update customers set golden = ?::jsonb, updated_at = now() where id = ?", write(golden), customerId);
    }

    /** Marks a customer for delivery to the CRM. */
    public void markChanged(long customerId) {
        jdbc.update("insert into outbox (customer_id, changed_at, due_at) values (?, clock_timestamp(), clock_timestamp()) "
                + "on conflict (customer_id) do update set changed_at = clock_timestamp()", customerId);
    }

    /** The golden record as attribute to value. */
    public Map<String, String> golden(long customerId) {
        String current = jdbc.queryForObject("select golden::text from customers where id = ?", String.class, customerId);
        Map<String, String> out = new LinkedHashMap<>();
        read(current).forEach((k, v) -> out.put(k, String.valueOf(v.get("v"))));
        return out;
    }

    private Map<String, Map<String, Object>> read(String text) {
        try {
            return text == null || text.equals("null") ? new LinkedHashMap<>() : new LinkedHashMap<>(goldenReader.<Map<String, Map<String, Object>>>readValue(text));
        } catch (Exception e) {
            throw new IllegalStateException("golden record is not valid JSON", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
