package org.touchpointhub.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Merges, unmerges, the review queue and the pairs never to merge again. Every method runs in the caller's
 * transaction.
 *
 * <p>Why a ledger: a golden record is computed from observations, so merging is moving rows (touchpoints,
 * observations, identity keys) from one customer to another and recomputing. The ledger row lists exactly what
 * moved, so an unmerge moves the same rows back and recomputes both golden records; the merged customer keeps its
 * id and {@code merged_into} points lookups at the survivor meanwhile. Blocking keys move to the survivor (so a
 * block counts customers, not records, and stays under its bound) and are derived again from the observations of a
 * customer an unmerge restores. Both customers are locked
 * (transaction-scoped advisory locks, in id order) so a merge, an unmerge and a review decision on one pair are
 * serialized. Touchpoints attached to the survivor after a merge go back with an unmerge when their strongest
 * identity key belongs to the restored customer again (see {@code reattribute}); records without a key stay.
 */
@Service
public class MergeLedger {

    private static final TypeReference<List<Long>> LONGS = new TypeReference<>() {};
    private static final TypeReference<List<List<String>>> KEYS = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final CustomerStore customers;
    private final String region;
    private final org.touchpointhub.company.CompanyLinks companies;

    MergeLedger(JdbcTemplate jdbc, ObjectMapper json, CustomerStore customers,
            @org.springframework.beans.factory.annotation.Value("${hub.default-region:US}") String region,
            org.touchpointhub.company.CompanyLinks companies) {
        this.jdbc = jdbc;
        this.json = json;
        this.customers = customers;
        this.region = region;
        this.companies = companies;
    }

    /** Returns the customer an id stands for now: itself, or the customer it was merged into. */
    public long current(long customerId) {
        Long merged = jdbc.queryForObject("select merged_into from customers where id = ?", Long.class, customerId);
        return merged == null ? customerId : merged;
    }

    /**
     * Merges one customer into another (both followed to their current customer), records what moved, recomputes
     * the survivor's golden record and marks it for delivery.
     *
     * @return the ledger id, or empty when both are already one customer
     */
    public Optional<Long> merge(long survivorId, long mergedId, String reason, String explanationJson) {
        lock(survivorId, mergedId);
        long s = current(survivorId);
        long m = current(mergedId);
        if (s == m) {
            return Optional.empty();
        }
        List<Long> touchpoints = jdbc.queryForList("update touchpoints set customer_id = ? where customer_id = ? returning id",
                Long.class, s, m);
        jdbc.update("update observations set customer_id = ? where customer_id = ?", s, m);
        // Blocking keys move too, so a block counts customers, not records; an unmerge derives them again.
        moveBlockingKeys(jdbc, m, s);
        List<List<String>> keys = jdbc.query("update identity_keys set customer_id = ? where customer_id = ? returning kind, value",
                (rs, n) -> List.of(rs.getString(1), rs.getString(2)), s, m);
        List<Long> repointed = jdbc.queryForList("update customers set merged_into = ? where merged_into = ? returning id",
                Long.class, s, m);
        jdbc.update("update customers set merged_into = ?, updated_at = now() where id = ?", s, m);
        // the pair in either order, written as the open pairs' unique index states it: the same rows as "(customer_id,
        // candidate_id) = (s, m) or (m, s)", which no index serves (that form scanned every open review, 34 ms a merge
        // with 15,000 open ones)
        jdbc.update("update possible_duplicates set status = 'obsolete', decided_at = now() where status = 'open' and "
                + "least(customer_id, candidate_id) = least(?::bigint, ?::bigint) "
                + "and greatest(customer_id, candidate_id) = greatest(?::bigint, ?::bigint)", s, m, s, m);
        Long id = jdbc.queryForObject("insert into merges (survivor_id, merged_id, reason, explanation, touchpoint_ids, "
                + "identity_keys, repointed_ids) values (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb) returning id", Long.class,
                s, m, reason, explanationJson, write(touchpoints), write(keys), write(repointed));
        customers.recomputeGolden(s);
        customers.markChanged(s);
        companies.link(s); // #6: the survivor's golden record may name another company now
        return Optional.of(id);
    }

    /**
     * Moves a customer's blocking keys to another (a key both have is kept once), in one statement. Every path that
     * merges a customer away calls this: blocks name current customers only, and IdentityResolver reads them without
     * following {@code merged_into}.
     */
    static void moveBlockingKeys(JdbcTemplate jdbc, long from, long to) {
        jdbc.update("with moved as (delete from blocking_keys where customer_id = ? returning key) "
                + "insert into blocking_keys (key, customer_id) select key, ? from moved on conflict do nothing", from, to);
    }

    /**
     * Splits a customer back into the customers merged into it (latest merge first), moves their touchpoints,
     * observations and identity keys back, recomputes every golden record, marks all of them for delivery and
     * remembers each pair as never to merge again.
     *
     * @return the customers split off (empty when nothing was merged into this one)
     */
    public List<Long> unmerge(long customerId) {
        List<Long> restored = new ArrayList<>();
        List<Map<String, Object>> entries = jdbc.queryForList("select id, created_at, merged_id, touchpoint_ids::text as t, "
                + "identity_keys::text as k, repointed_ids::text as r from merges where survivor_id = ? and undone_at is null "
                + "order by id desc", customerId);
        for (Map<String, Object> e : entries) {
            long m = ((Number) e.get("merged_id")).longValue();
            lock(customerId, m);
            String touchpoints = e.get("t").toString();
            jdbc.update("update touchpoints set customer_id = ? where customer_id = ? and id in "
                    + "(select jsonb_array_elements_text(?::jsonb)::bigint)", m, customerId, touchpoints);
            jdbc.update("update observations set customer_id = ? where customer_id = ? and touchpoint_id in "
                    + "(select jsonb_array_elements_text(?::jsonb)::bigint)", m, customerId, touchpoints);
            for (List<String> key : read(e.get("k").toString(), KEYS)) {
                jdbc.update("update identity_keys set customer_id = ? where kind = ? and value = ? and customer_id = ?",
                        m, key.get(0), key.get(1), customerId);
            }
            jdbc.update("update customers set merged_into = null, updated_at = now() where id = ?", m);
            for (Long r : read(e.get("r").toString(), LONGS)) {
                jdbc.update("update customers set merged_into = ? where id = ? and merged_into = ?", m, r, customerId);
            }
            reattribute(customerId, m, (java.sql.Timestamp) e.get("created_at"));
            jdbc.update("update merges set undone_at = now() where id = ?", e.get("id"));
            keepApart(customerId, m, "unmerge");
            restored.add(m);
        }
        for (long m : restored) {
            reindex(m);
            customers.recomputeGolden(m);
            customers.markChanged(m);
        }
        if (!restored.isEmpty()) {
            customers.recomputeGolden(customerId);
            customers.markChanged(customerId);
            companies.link(customerId); // #6: both sides linked to the company their own records name
            companies.link(restored);
        }
        return restored;
    }

    /**
     * Touchpoints that reached the survivor after the merge were resolved to the merged customer as a whole; the
     * ones whose strongest identity key claimed before the merge (email, phone, anonymous id, from the record's own
     * observations) belongs to the split-off customer again go back to it, with their observations and the keys they
     * brought. Records without such a key stay with the survivor.
     */
    private void reattribute(long survivor, long restored, java.sql.Timestamp mergedAt) {
        Map<Long, Map<String, String>> records = new LinkedHashMap<>();
        jdbc.query("select o.touchpoint_id, o.attribute, o.value from observations o join touchpoints t on t.id = o.touchpoint_id "
                + "where t.customer_id = ? and t.recorded_at >= ? and o.customer_id = ? order by o.id", rs -> {
                    records.computeIfAbsent(rs.getLong(1), x -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }, survivor, mergedAt, survivor);
        List<Long> moving = new ArrayList<>();
        java.util.Set<IdentityKey> broughtKeys = new java.util.TreeSet<>();
        for (Map.Entry<Long, Map<String, String>> record : records.entrySet()) {
            List<IdentityKey> keys = IdentityKey.of(new org.touchpointhub.canonical.PersonFacts(record.getValue(), Map.of()));
            IdentityKey strongest = null;
            Long owner = null;
            for (IdentityKey key : keys) {
                // only keys claimed before the merge tell whose record it is: later ones were claimed by the merged whole
                List<Long> owners = jdbc.queryForList("select customer_id from identity_keys where kind = ? and value = ? "
                        + "and created_at < ?", Long.class, key.kind(), key.value(), mergedAt);
                if (!owners.isEmpty() && (owners.get(0) == survivor || owners.get(0) == restored)
                        && (strongest == null || key.strength() > strongest.strength())) {
                    strongest = key;
                    owner = owners.get(0);
                }
            }
            if (owner != null && owner == restored) {
                moving.add(record.getKey());
                broughtKeys.addAll(keys);
            }
        }
        if (moving.isEmpty()) {
            return;
        }
        String ids = "{" + String.join(",", moving.stream().map(String::valueOf).toList()) + "}";
        jdbc.update("update touchpoints set customer_id = ? where customer_id = ? and id = any(?::bigint[])", restored, survivor, ids);
        jdbc.update("update observations set customer_id = ? where customer_id = ? and touchpoint_id = any(?::bigint[])",
                restored, survivor, ids);
        for (IdentityKey key : broughtKeys) {
            // a key claimed after the merge goes along, unless a record the survivor keeps carries it too
            jdbc.update("update identity_keys k set customer_id = ? where k.kind = ? and k.value = ? and k.customer_id = ? "
                    + "and k.created_at >= ? and not exists (select 1 from observations o where o.customer_id = ? "
                    + "and o.attribute in ('email', 'phone', 'mobile_phone', 'anonymous_id') and o.value = k.value)",
                    restored, key.kind(), key.value(), survivor, mergedAt, survivor);
        }
    }

    /** Derives a customer's blocking keys again from its observations (after an unmerge gave them back). */
    private void reindex(long customerId) {
        Map<Long, Map<String, String>> records = new LinkedHashMap<>();
        jdbc.query("select touchpoint_id, attribute, value from observations where customer_id = ?", rs -> {
            records.computeIfAbsent(rs.getLong(1), x -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
        }, customerId);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        records.forEach((tp, values) -> keys.addAll(BlockingKeys.of(
                PersonAttributes.fromAttributes(String.valueOf(tp), values, "", region))));
        if (!keys.isEmpty()) {
            jdbc.update("insert into blocking_keys (key, customer_id) select k, ? from unnest(?::text[]) as k on conflict do nothing",
                    customerId, IdentityResolver.textArray(keys));
        }
    }

    /** Remembers that two customers are different people, so they are never merged automatically. */
    public void keepApart(long a, long b, String reason) {
        if (a != b) {
            jdbc.update("insert into no_merge (customer_a, customer_b, reason) values (?, ?, ?) on conflict do nothing",
                    Math.min(a, b), Math.max(a, b), reason);
        }
    }

    /** Returns true when a person said the two customers (or any customer merged into them) are different people. */
    public boolean keptApart(long a, long b) {
        Long n = jdbc.queryForObject("select count(*) from no_merge n join customers ca on ca.id = n.customer_a "
                + "join customers cb on cb.id = n.customer_b where (coalesce(ca.merged_into, ca.id) = ? and coalesce(cb.merged_into, cb.id) = ?) "
                + "or (coalesce(ca.merged_into, ca.id) = ? and coalesce(cb.merged_into, cb.id) = ?)", Long.class, a, b, b, a);
        return n != null && n > 0;
    }

    /** Links a possible duplicate for a person to decide, unless the pair is kept apart or already linked. */
    public void linkForReview(long customerId, long candidateId, double probability, String explanationJson) {
        if (customerId == candidateId || keptApart(customerId, candidateId)) {
            return;
        }
        jdbc.update("insert into possible_duplicates (customer_id, candidate_id, probability, explanation) "
                + "values (?, ?, ?, ?::jsonb) on conflict do nothing", customerId, candidateId, probability, explanationJson);
    }

    /** Returns the open possible duplicates (both sides still distinct customers), oldest first. */
    public List<Map<String, Object>> openReviews(int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : jdbc.queryForList("select p.id, p.created_at, p.probability, p.explanation::text as explanation, "
                + "coalesce(a.merged_into, a.id) as customer_id, coalesce(b.merged_into, b.id) as candidate_id "
                + "from possible_duplicates p join customers a on a.id = p.customer_id join customers b on b.id = p.candidate_id "
                + "where p.status = 'open' and coalesce(a.merged_into, a.id) <> coalesce(b.merged_into, b.id) "
                + "order by p.created_at, p.id limit ?", limit)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", r.get("id"));
            item.put("createdAt", r.get("created_at"));
            item.put("probability", r.get("probability"));
            long a = ((Number) r.get("customer_id")).longValue();
            long b = ((Number) r.get("candidate_id")).longValue();
            item.put("customerId", a);
            item.put("candidateId", b);
            item.put("customer", customers.golden(a));
            item.put("candidate", customers.golden(b));
            item.put("explanation", read(r.get("explanation").toString(), new TypeReference<Map<String, Object>>() {}));
            out.add(item);
        }
        return out;
    }

    /** What a review decision did. */
    public enum ReviewOutcome { MERGED, KEPT_APART, NOT_OPEN }

    /** Accepts (merge the newer customer into the existing one) or rejects (keep them apart) an open possible duplicate. */
    public ReviewOutcome decide(long reviewId, boolean accept) {
        List<Map<String, Object>> rows = jdbc.queryForList("select customer_id, candidate_id, explanation::text as explanation "
                + "from possible_duplicates where id = ? and status = 'open' for update", reviewId);
        if (rows.isEmpty()) {
            return ReviewOutcome.NOT_OPEN;
        }
        long customer = ((Number) rows.get(0).get("customer_id")).longValue();
        long candidate = ((Number) rows.get(0).get("candidate_id")).longValue();
        jdbc.update("update possible_duplicates set status = ?, decided_at = now() where id = ?",
                accept ? "accepted" : "rejected", reviewId);
        if (accept) {
            merge(candidate, customer, "review_accepted", rows.get(0).get("explanation").toString());
            return ReviewOutcome.MERGED;
        }
        keepApart(current(customer), current(candidate), "review_rejected");
        return ReviewOutcome.KEPT_APART;
    }

    private void lock(long a, long b) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "customer:" + Math.min(a, b));
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "customer:" + Math.max(a, b));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("ledger JSON is not valid", e);
        }
    }
}
