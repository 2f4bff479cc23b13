package org.touchpointhub.identity;

import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.enrich.EmailAddresses;
import org.touchpointhub.enrich.PhoneNumbers;

/*
 * Design. The live form of the two-stage resolution ProbabilisticMatcher describes, over PostgreSQL, in the event's
 * transaction:
 *  - Locks first: one transaction-scoped advisory lock per identity key and per blocking key of the incoming person,
 *    all in one sorted order (no deadlock cycle). Two concurrent events for one fuzzy person share blocking keys, so
 *    the second waits, then sees the first's customer and blocking keys: it cannot silently create a second customer.
 *    A batch of events takes the locks of all its records at once (lockAll), leaving out blocking keys already
 *    shared by more than maxBlock customers (skipped as candidates anyway); resolve then finds its locks held.
 *  - Deciding keys (external ids, a personal e-mail match key, a mobile number, an anonymous id) name the customer.
 *    A landline or a role mailbox (info@, sales@) is shared by several people: it is still claimed and searchable,
 *    but it only makes its owner a candidate for scoring.
 *  - Key conflict: when the event's keys point at two customers (e-mail -> A, phone -> B), the event is evidence
 *    that A and B are one person. We merge B into A through the ledger only when the event scores at merge level
 *    against both customers' observed values and no person kept them apart; if it scores in the review band
 *    against B we link them for review; otherwise (a shared office line) we leave them alone. The event itself
 *    goes to the customer of its strongest deciding key.
 *  - Otherwise candidates are the customers sharing a blocking key (at most maxBlock per key: a fuller key is
 *    skipped), the maxCandidates of them sharing the most keys (CandidateRanking: so cost per record is flat however
 *    full the blocks), plus the owners of its non-deciding keys. The matcher decides. Every
 *    record gets a customer of its own first; on MERGE that customer is merged into the match through the ledger
 *    (after its touchpoint and observations are written), so every fuzzy merge can be undone. On REVIEW the new
 *    customer is linked to the candidate. Every decision is stored with its Explanation.
 */

/** Resolves the person of one touchpoint to a customer: deterministic keys, then blocking and probabilistic scoring. */
@Service
public class IdentityResolver {

    private final JdbcTemplate jdbc;
    private final MergeLedger ledger;
    private final java.util.concurrent.atomic.AtomicLong repeats = new java.util.concurrent.atomic.AtomicLong();
    /*
     * Blocking keys known to be shared by more than max-block customers. Such a key is skipped as a source of candidates
     * and needs no lock, yet finding that out reads max-block + 1 index entries, twice per record (lockAll and the
     * lookup): with a million customers most name, city and company keys are full and that reading was most of
     * PostgreSQL's work per record. A key only fills up (customers are added to keys, never taken off, but by a merge
     * that moves one), so once seen full it is remembered. Bounded: 100,000 keys, about 12 MB; Caffeine keeps the
     * frequent ones. Each hub learns on its own.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> fullBlocks =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000).build();
    private final IdentityProperties properties;
    private final String region;
    private volatile ProbabilisticMatcher matcher;

    IdentityResolver(JdbcTemplate jdbc, MergeLedger ledger, IdentityProperties properties,
            @Value("${hub.default-region:US}") String region,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        meters.ifAvailable(registry -> io.micrometer.core.instrument.FunctionCounter.builder("hub.identity.repeats", repeats,
                        java.util.concurrent.atomic.AtomicLong::get)
                .description("records resolved by a deciding key that brought no value their customer's latest records "
                        + "lacked: other candidates were not scored again")
                .register(registry));
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.properties = properties;
        this.region = region;
        MatchSettings d = MatchSettings.defaults();
        this.matcher = new ProbabilisticMatcher(new MatchSettings(d.m(), d.u(), d.prior(),
                properties.mergeProbability(), properties.reviewProbability()));
    }

    /** Returns the weights and thresholds in force. */
    public MatchSettings settings() {
        return matcher.settings();
    }

    /** Replaces the weights (e.g. EM estimates), keeping the configured thresholds. */
    public void useWeights(MatchSettings estimated) {
        MatchSettings current = matcher.settings();
        matcher = new ProbabilisticMatcher(current.withParameters(estimated.m(), estimated.u(), estimated.prior()));
    }

    /**
     * What resolution decided for one record.
     *
     * @param customerId the customer to append the touchpoint and observations to
     * @param mergeInto when not null, the customer to merge {@code customerId} into once they are written
     * @param decision DETERMINISTIC, MERGE, REVIEW, NO_MATCH (probabilistic) for the record
     * @param explanation the evidence, as stored
     * @param links other customers the record matches at merge level too (merged in by {@link #complete})
     */
    public record Resolution(long customerId, Long mergeInto, String decision, Explanation explanation,
            List<Explanation> links) {
    }

    /**
     * What resolving one record needs from its person, computed without the database: the match attributes, the
     * identity keys, the blocking keys, and the advisory lock texts of both. The batch consumer computes these for a
     * whole batch first, so it can take every lock of the batch in one statement.
     */
    public static final class Keys {
        final PersonFacts person;
        final PersonAttributes attributes;
        final List<IdentityKey> identity;
        final Set<String> blocking;

        Keys(PersonFacts person, PersonAttributes attributes, List<IdentityKey> identity, Set<String> blocking) {
            this.person = person;
            this.attributes = attributes;
            this.identity = identity;
            this.blocking = blocking;
        }

        /** The identity keys, sorted. */
        public List<IdentityKey> identityKeys() {
            return identity;
        }

        /** The advisory lock texts: one per identity key and one per blocking key. */
        public Set<String> lockTexts() {
            Set<String> texts = new TreeSet<>();
            identity.forEach(k -> texts.add(k.lockText()));
            blocking.forEach(b -> texts.add("block:" + b));
            return texts;
        }
    }

    /** Computes a normalized person's keys (no database access). */
    public Keys keys(PersonFacts person, String recordKey, String source) {
        PersonAttributes attributes = PersonAttributes.fromAttributes(recordKey, person.attributes(), source, region);
        return new Keys(person, attributes, IdentityKey.of(person), BlockingKeys.of(attributes));
    }

    /** Resolves a normalized person; call {@link #complete} after the touchpoint and observations are written. */
    public Resolution resolve(PersonFacts person, String recordKey, String source) {
        return resolve(keys(person, recordKey, source), recordKey);
    }

    /**
     * Resolves a person from its precomputed keys, taking the advisory locks this transaction does not hold yet;
     * call {@link #complete} after the touchpoint and observations are written.
     */
    public Resolution resolve(Keys computed, String recordKey) {
        PersonFacts person = computed.person;
        PersonAttributes attributes = computed.attributes;
        List<IdentityKey> keys = computed.identity;
        Set<String> blocking = computed.blocking;
        lock(computed.lockTexts());
        Map<IdentityKey, Long> owners = new LinkedHashMap<>();
        Set<Long> blocked = new LinkedHashSet<>();
        ownersAndCandidates(keys, Set.of(), owners, blocked);
        IdentityKey strongest = null;
        for (IdentityKey key : keys) {
            if (owners.containsKey(key) && decides(key, person)
                    && (strongest == null || key.strength() > strongest.strength())) {
                strongest = key;
            }
        }
        if (strongest != null) {
            long customer = owners.get(strongest);
            for (Long other : new LinkedHashSet<>(owners.values())) {
                if (other != customer) {
                    customer = settleConflict(attributes, customer, other, recordKey);
                }
            }
            List<Explanation> links;
            boolean repeat = bringsNothingNew(attributes, customer);
            if (repeat) {
                // A repeat of a record the customer has (the same form sent again): it was compared with every
                // candidate when it first came, and every candidate that came since was compared with this customer,
                // so scoring the blocks again could find no new link. Most repeat visitors end here, without the
                // blocking lookup and the candidates' observations (the larger part of PostgreSQL's work per event).
                repeats.incrementAndGet();
                links = List.of();
            } else {
                ownersAndCandidates(List.of(), blocking, new LinkedHashMap<>(), blocked);
                Set<Long> others = new LinkedHashSet<>(blocked);
                others.remove(customer);
                // no other candidate: nothing to load (load of none is no query)
                links = links(attributes, load(others), customer);
            }
            Explanation e = new Explanation(customer, List.of(new Explanation.ComparisonResult("KEY", strongest.kind(), 0)),
                    0, 0, 1, "DETERMINISTIC");
            // Only what is not claimed yet: an owned identity key stays with its owner (the insert would do nothing),
            // and a repeat's blocking keys are those of the equal record its customer has (a merge moves them along).
            // Each skipped key was an index probe into a large table (at a million customers, a read from outside
            // PostgreSQL's buffers for most).
            List<IdentityKey> unowned = new ArrayList<>(keys.size());
            for (IdentityKey key : keys) {
                if (!owners.containsKey(key)) {
                    unowned.add(key);
                }
            }
            claimAndRecord(customer, unowned, repeat ? Set.of() : blocking, recordKey, null, e);
            return new Resolution(customer, null, "DETERMINISTIC", e, links);
        }
        ownersAndCandidates(List.of(), blocking, new LinkedHashMap<>(), blocked);
        Set<Long> ids = new LinkedHashSet<>(blocked);
        ids.addAll(owners.values());
        List<Candidate> found = load(ids);
        MatchDecision decision = matcher.decide(attributes, found);
        Explanation e = decision.explanation();
        long customer = claimAndRecord(null, keys, blocking, recordKey, e.customerId(), e);
        if (decision instanceof MatchDecision.Merge merge) {
            return new Resolution(customer, merge.customerId(), "MERGE", e, links(attributes, found, merge.customerId()));
        }
        if (decision instanceof MatchDecision.Review review) {
            ledger.linkForReview(customer, review.customerId(), e.probability(), e.toJson());
            return new Resolution(customer, null, "REVIEW", e, List.of());
        }
        return new Resolution(customer, null, "NO_MATCH", e, List.of());
    }

    /** Other candidates the record matches at merge level: the record links them (connected components of matches). */
    private List<Explanation> links(PersonAttributes incoming, List<Candidate> candidates, long chosen) {
        List<Explanation> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.customerId() != chosen) {
                Explanation e = matcher.explain(incoming, c);
                if (e.total() >= matcher.settings().mergeWeight()) {
                    out.add(relabel(e, "LINK_MERGE"));
                }
            }
        }
        return out;
    }

    /** Carries out a merge decided by {@link #resolve}; returns the customer the record now belongs to. */
    public long complete(Resolution resolution) {
        if (resolution.mergeInto() == null && resolution.links().isEmpty()) {
            // resolve named a current customer (an owner followed to its survivor, or a new one) and nothing merged
            // it away since: the ledger lookup would return it unchanged
            return resolution.customerId();
        }
        if (resolution.mergeInto() != null) {
            ledger.merge(resolution.mergeInto(), resolution.customerId(), "probabilistic", resolution.explanation().toJson());
        }
        long target = ledger.current(resolution.customerId());
        for (Explanation link : resolution.links()) {
            long other = ledger.current(link.customerId());
            if (other != target && !ledger.keptApart(target, other)) {
                ledger.merge(target, other, "probabilistic_link", link.toJson());
                jdbc.update("insert into match_decisions (record_key, customer_id, candidate_id, decision, probability, explanation) "
                        + "select record_key, ?, ?, 'LINK_MERGE', ?, ?::jsonb from match_decisions where customer_id = ? "
                        + "order by id desc limit 1", target, other, link.probability(), link.toJson(), resolution.customerId());
            }
        }
        return target;
    }

    private long settleConflict(PersonAttributes incoming, long customer, long other, String recordKey) {
        long a = ledger.current(customer);
        long b = ledger.current(other);
        if (a == b || ledger.keptApart(a, b)) {
            return a;
        }
        Map<Long, Candidate> both = new HashMap<>();
        for (Candidate c : load(List.of(a, b))) {
            both.put(c.customerId(), c);
        }
        Explanation ea = matcher.explain(incoming, both.getOrDefault(a, new Candidate(a, Map.of())));
        Explanation eb = matcher.explain(incoming, both.getOrDefault(b, new Candidate(b, Map.of())));
        MatchSettings s = matcher.settings();
        if (ea.total() >= s.mergeWeight() && eb.total() >= s.mergeWeight()) {
            Explanation e = relabel(eb, "KEY_CONFLICT_MERGE");
            ledger.merge(a, b, "key_conflict", e.toJson());
            record(recordKey, a, b, e);
        } else if (eb.total() >= s.reviewWeight()) {
            Explanation e = relabel(eb, "KEY_CONFLICT_REVIEW");
            ledger.linkForReview(a, b, e.probability(), e.toJson());
            record(recordKey, a, b, e);
        }
        return a;
    }

    private static Explanation relabel(Explanation e, String decision) {
        return new Explanation(e.customerId(), e.comparisons(), e.priorWeight(), e.total(), e.probability(), decision);
    }

    private boolean decides(IdentityKey key, PersonFacts person) {
        switch (key.kind()) {
            case "email":
                return !EmailAddresses.isRoleAccount(key.value());
            case "phone":
                return key.value().equals(person.get("mobile_phone")) || PhoneNumbers.isMobile(key.value(), region);
            default:
                return true;
        }
    }

    /**
     * Takes transaction-scoped advisory locks on these texts, in sorted order, in one statement, skipping those this
     * transaction already holds (a batch takes the locks of all its events up front, in one sorted order, which keeps
     * batches deadlock-free against each other; resolve then finds them held).
     */
    public void lock(Set<String> texts) {
        Set<String> held = heldLocks();
        TreeSet<String> missing = new TreeSet<>(texts);
        missing.removeAll(held);
        if (missing.isEmpty()) {
            return;
        }
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(t, 0)) from unnest(?::text[]) with ordinality "
                + "as x(t, n) order by n", textArray(missing));
        held.addAll(missing);
    }

    /**
     * Takes the advisory locks of several records (a batch) in one statement, in one sorted order. A blocking key
     * that more than {@code max-block} customers share already is left out: resolve skips such a key when it looks for
     * candidates, so a lock on it would protect nothing, yet every batch whose records carry a common key (a big
     * city's postcode and a common first name) would wait on every other. Keys only fill up (a merge can take one
     * customer off a key, a rare race that could at worst cost a match, never merge wrongly).
     */
    public void lockAll(Collection<Keys> records) {
        Set<String> blocking = new TreeSet<>();
        records.forEach(k -> blocking.addAll(k.blocking));
        Set<String> texts = new TreeSet<>();
        records.forEach(k -> texts.addAll(k.lockTexts()));
        Set<String> held = heldLocks();
        for (java.util.Iterator<String> it = blocking.iterator(); it.hasNext(); ) {
            String key = it.next();
            if (fullBlocks.getIfPresent(key) != null) {
                it.remove();
                texts.remove("block:" + key);
                held.add("block:" + key); // so resolve does not take it either
            }
        }
        if (!blocking.isEmpty()) {
            // "order by customer_id" (the primary key's order) keeps the plan an index scan: with a bare LIMIT the
            // planner may take a sequential scan it expects to stop early, and read the whole table for a rare key
            jdbc.query("select k from unnest(?::text[]) as k where (select count(*) from (select 1 from blocking_keys b "
                    + "where b.key = k order by b.customer_id limit ?) x) > ?", rs -> {
                        String text = "block:" + rs.getString(1);
                        fullBlocks.put(rs.getString(1), Boolean.TRUE);
                        texts.remove(text);
                        held.add(text); // not needed: resolve finds it "held" and does not take it out of order
                    }, textArray(blocking), properties.maxBlock() + 1, properties.maxBlock());
        }
        lock(texts);
    }

    private static final Object HELD_LOCKS = new Object();

    /** The advisory locks the current transaction holds (released, and forgotten, when it completes). */
    @SuppressWarnings("unchecked")
    private static Set<String> heldLocks() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return new HashSet<>(); // no transaction to remember them in: lock every time
        }
        Set<String> held = (Set<String>) TransactionSynchronizationManager.getResource(HELD_LOCKS);
        if (held == null) {
            Set<String> fresh = new HashSet<>();
            TransactionSynchronizationManager.bindResource(HELD_LOCKS, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(HELD_LOCKS);
                }
            });
            held = fresh;
        }
        return held;
    }

    /**
     * The current owners of the identity keys and the customers of the blocking keys (at most maxBlock per key: a
     * fuller key is skipped), in one query.
     */
    private void ownersAndCandidates(List<IdentityKey> keys, Set<String> blocking, Map<IdentityKey, Long> owners,
            Set<Long> candidates) {
        if (keys.isEmpty() && blocking.isEmpty()) {
            return;
        }
        int cap = properties.maxBlock();
        List<String> open = new ArrayList<>(blocking.size());
        for (String key : blocking) {
            if (fullBlocks.getIfPresent(key) == null) {
                open.add(key);
            }
        }
        Map<String, List<Long>> byKey = new HashMap<>();
        // One statement text whatever the number of keys: the driver prepares it once per connection and PostgreSQL
        // plans it once (a text that varied with the number of keys was parsed and planned again for every event).
        // A parameter array is estimated at 10 rows, so the plan stays a nested loop over the primary key.
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<String> values = new ArrayList<>();
        keys.forEach(k -> {
            kinds.add(k.kind());
            values.add(k.value());
        });
        sql.append("select 'o', k.kind, k.value, coalesce(c.merged_into, c.id) from unnest(?::text[], ?::text[]) as x(kind, value) "
                + "join identity_keys k on k.kind = x.kind and k.value = x.value join customers c on c.id = k.customer_id "
                + "union all ");
        args.add(textArray(kinds));
        args.add(textArray(values));
        // The blocks' customers as stored: every merge (MergeLedger, AnonymousStitching) moves the merged customer's
        // blocking keys to the survivor, so they name current customers, and the scan reads the primary key's index
        // alone. A join to customers for merged_into read up to max-block + 1 random rows of that wide table per key,
        // most of them not among the candidates ranked in the end.
        sql.append("select 'b', k.key, null, b.customer_id from unnest(?::text[]) as k(key) "
                + "cross join lateral (select b.customer_id from blocking_keys b where b.key = k.key order by b.customer_id limit ?) b");
        args.add(textArray(open));
        args.add(cap + 1);
        jdbc.query(sql.toString(),
                rs -> {
                    if ("o".equals(rs.getString(1))) {
                        owners.put(new IdentityKey(rs.getString(2), rs.getString(3)), rs.getLong(4));
                    } else {
                        byKey.computeIfAbsent(rs.getString(2), x -> new ArrayList<>()).add(rs.getLong(4));
                    }
                }, args.toArray());
        // owners in the order of the keys, as before
        Map<IdentityKey, Long> ordered = new LinkedHashMap<>();
        for (IdentityKey k : keys) {
            if (owners.containsKey(k)) {
                ordered.put(k, owners.get(k));
            }
        }
        owners.clear();
        owners.putAll(ordered);
        Map<Long, Integer> shared = new HashMap<>();
        byKey.forEach((key, block) -> {
            if (block.size() <= cap) {
                block.forEach(id -> shared.merge(id, 1, Integer::sum));
            } else {
                fullBlocks.put(key, Boolean.TRUE);
            }
        });
        candidates.addAll(CandidateRanking.strongest(shared, properties.maxCandidates()));
    }

    /** Loads candidates' observed values, grouped per touchpoint into records (the latest few per customer). */
    private List<Candidate> load(Iterable<Long> customerIds) {
        List<Candidate> out = new ArrayList<>();
        loadRecords(customerIds).forEach((customer, persons) -> out.add(Candidate.of(customer, persons)));
        return out;
    }

    /** Whether one of the customer's latest records states every value this record states, and no other. */
    private boolean bringsNothingNew(PersonAttributes record, long customer) {
        for (PersonAttributes known : loadRecords(List.of(customer)).getOrDefault(customer, List.of())) {
            if (sameValues(known, record)) {
                return true;
            }
        }
        return false;
    }

    /** The same match values (the record's id and source aside). */
    static boolean sameValues(PersonAttributes a, PersonAttributes b) {
        return a.firstName().equals(b.firstName()) && a.lastName().equals(b.lastName()) && a.email().equals(b.email())
                && a.phone().equals(b.phone()) && a.mobile() == b.mobile() && a.dob().equals(b.dob())
                && a.street().equals(b.street()) && a.postcode().equals(b.postcode()) && a.city().equals(b.city())
                && a.company().equals(b.company());
    }

    /**
     * The latest candidate-touchpoints records of each customer, as match records: per customer, its newest
     * touchpoints that have a match record (V70), read through their partial index. Observations, one row per
     * attribute, were about eight times the rows and needed a window to rank.
     */
    private Map<Long, List<PersonAttributes>> loadRecords(Iterable<Long> customerIds) {
        List<Long> idList = new ArrayList<>();
        customerIds.forEach(idList::add);
        if (idList.isEmpty()) {
            return Map.of();
        }
        Map<Long, List<PersonAttributes>> out = new LinkedHashMap<>();
        jdbc.query("select c.id, t.id, t.match::text from unnest(?::bigint[]) as c(id) cross join lateral "
                + "(select t.id, t.match from touchpoints t where t.customer_id = c.id and t.match is not null "
                + "order by t.id desc limit ?) t",
                rs -> {
                    out.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>()).add(record(rs.getLong(2), rs.getString(3)));
                }, "{" + String.join(",", idList.stream().map(String::valueOf).toList()) + "}",
                properties.candidateTouchpoints());
        return out;
    }

    /** Records resolved by a deciding key that brought nothing new, whose candidates were not scored again. */
    long repeats() {
        return repeats.get();
    }

    /*
     * A touchpoint's match record never changes once written (a merge moves the touchpoint, with it), so the
     * PersonAttributes built from it are kept: candidates of busy blocks come back event after event, and building a
     * record (folding names, stripping company legal forms, parsing phones) was the largest part of a probabilistic
     * event's CPU. Bounded: about 50,000 records, some tens of megabytes.
     *
     * Keyed by the touchpoint id; the entry keeps the stored text it was built from and is used only when it equals
     * the loaded one (a string comparison), else rebuilt: a store emptied with its ids restarted can still never
     * serve a stale record.
     */
    private final com.github.benmanes.caffeine.cache.Cache<Long, CachedRecord> recordCache =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(50_000).build();

    /** A touchpoint's match record and the stored text it was built from. */
    private record CachedRecord(String match, PersonAttributes person) {
    }

    private PersonAttributes record(long touchpoint, String match) {
        CachedRecord cached = recordCache.getIfPresent(touchpoint);
        if (cached != null && cached.match().equals(match)) {
            return cached.person();
        }
        PersonAttributes person = PersonAttributes.fromMatchRecord(String.valueOf(touchpoint), match, region);
        recordCache.put(touchpoint, new CachedRecord(match, person));
        return person;
    }

    /**
     * Claims the keys no one holds yet for a customer (a new one when {@code customer} is null) and records the
     * decision, in one statement.
     *
     * @return the customer id
     */
    private long claimAndRecord(Long customer, List<IdentityKey> keys, Set<String> blocking, String recordKey,
            Long candidate, Explanation e) {
        List<String> kinds = new ArrayList<>();
        List<String> values = new ArrayList<>();
        keys.forEach(k -> {
            kinds.add(k.kind());
            values.add(k.value());
        });
        String target = customer == null ? "insert into customers default values returning id" : "select ?::bigint as id";
        List<Object> args = new ArrayList<>();
        if (customer != null) {
            args.add(customer);
        }
        args.addAll(List.of(textArray(kinds), textArray(values), textArray(blocking), recordKey));
        args.add(new SqlParameterValue(Types.BIGINT, candidate)); // typed: a bare null costs a describe round trip
        args.addAll(List.of(e.decision(), e.probability(), e.toJson()));
        return jdbc.queryForObject("with c as (" + target + "), "
                + "k as (insert into identity_keys (kind, value, customer_id) select x.kind, x.value, c.id from c, "
                + "unnest(?::text[], ?::text[]) with ordinality as x(kind, value, n) order by x.n on conflict do nothing), "
                + "b as (insert into blocking_keys (key, customer_id) select x.k, c.id from c, unnest(?::text[]) as x(k) "
                + "on conflict do nothing), "
                + "d as (insert into match_decisions (record_key, customer_id, candidate_id, decision, probability, explanation) "
                + "select ?, c.id, ?::bigint, ?, ?, ?::jsonb from c) "
                + "select id from c", Long.class, args.toArray());
    }

    private void record(String recordKey, long customer, Long candidate, Explanation e) {
        jdbc.update("insert into match_decisions (record_key, customer_id, candidate_id, decision, probability, explanation) "
                + "values (?, ?, ?, ?, ?, ?::jsonb)", recordKey, customer, new SqlParameterValue(Types.BIGINT, candidate), e.decision(), e.probability(), e.toJson());
    }

    /** Renders strings as a PostgreSQL text array literal, every element quoted. */
    public static String textArray(Iterable<String> values) {
        StringBuilder sb = new StringBuilder("{");
        for (String v : values) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }
}
