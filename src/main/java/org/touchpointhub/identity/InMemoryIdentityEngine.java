package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DB pipeline's algorithm with maps instead of tables, for measuring and tuning: deterministic keys (e-mail
 * match key unless a role mailbox, personal mobile) first, then blocking index, candidates, matcher, and a merge
 * that lets the customer's candidate gain the new values. Review decisions create a new customer and are kept
 * as possible-duplicate links. Not thread-safe.
 */
public final class InMemoryIdentityEngine implements IdentityEngine {
    // Keys shared by more customers than this are too common to discriminate; skipping them keeps cost flat.
    private static final int MAX_BLOCK = 200;

    private final ProbabilisticMatcher matcher;
    private final int maxCandidates;
    private final Map<String, Long> deterministic = new HashMap<>();
    private final Map<String, List<Long>> index = new HashMap<>();
    private final Map<Long, List<PersonAttributes>> customers = new HashMap<>();
    private final Map<Long, Candidate> candidates = new HashMap<>();
    private final List<MatchDecision> decisions = new ArrayList<>();
    private final Map<Long, Long> mergedInto = new HashMap<>();
    private long nextId = 1;

    /** Creates an empty store scored by the given matcher. */
    public InMemoryIdentityEngine(ProbabilisticMatcher matcher) {
        this(matcher, CandidateRanking.DEFAULT_LIMIT);
    }

    /** Creates an empty store that scores at most {@code maxCandidates} candidates per record ({@link CandidateRanking}). */
    public InMemoryIdentityEngine(ProbabilisticMatcher matcher, int maxCandidates) {
        this.matcher = matcher;
        this.maxCandidates = maxCandidates;
    }

    @Override
    public long resolve(PersonAttributes row) {
        Long target = null;
        for (String key : deterministicKeys(row)) {
            Long id = deterministic.get(key);
            if (id != null) {
                target = current(id);
                break;
            }
        }
        Map<Long, Integer> shared = new HashMap<>();
        for (String key : BlockingKeys.of(row)) {
            List<Long> block = index.get(key);
            if (block != null && block.size() <= MAX_BLOCK) {
                block.forEach(id -> shared.merge(current(id), 1, Integer::sum));
            }
        }
        List<Long> ids = CandidateRanking.strongest(shared, maxCandidates);
        List<Candidate> found = new ArrayList<>(ids.size());
        for (Long id : ids) {
            found.add(candidates.get(id));
        }
        long id;
        if (target != null) {
            id = target;
        } else {
            MatchDecision decision = matcher.decide(row, found);
            decisions.add(decision);
            id = decision instanceof MatchDecision.Merge merge ? merge.customerId() : nextId++;
        }
        add(id, row);
        // A record that matches two customers at merge level links them (connected components of matching pairs).
        for (Candidate other : found) {
            long o = current(other.customerId());
            if (o != id && matcher.explain(row, other).total() >= matcher.settings().mergeWeight()) {
                absorb(id, o);
            }
        }
        return id;
    }

    @Override
    public long current(long customerId) {
        long id = customerId;
        while (mergedInto.containsKey(id)) {
            id = mergedInto.get(id);
        }
        return id;
    }

    private void absorb(long survivor, long merged) {
        mergedInto.put(merged, survivor);
        List<PersonAttributes> records = customers.computeIfAbsent(survivor, k -> new ArrayList<>());
        records.addAll(customers.remove(merged));
        candidates.remove(merged);
        candidates.put(survivor, Candidate.of(survivor, records));
    }

    /** Returns every probabilistic decision taken so far, in order, with explanations. */
    public List<MatchDecision> decisions() {
        return decisions;
    }

    /** Returns the identity keys that, like unique constraints in the store, resolve a person without scoring. */
    public static List<String> deterministicKeys(PersonAttributes row) {
        List<String> keys = new ArrayList<>(2);
        if (!row.email().isEmpty() && !org.touchpointhub.enrich.EmailAddresses.isRoleAccount(row.email())) {
            keys.add("email:" + row.email());
        }
        if (row.mobile()) {
            keys.add("mobile:" + row.phone());
        }
        return keys;
    }

    private void add(long id, PersonAttributes row) {
        List<PersonAttributes> records = customers.computeIfAbsent(id, k -> new ArrayList<>());
        records.add(row);
        candidates.put(id, Candidate.of(id, records));
        for (String key : deterministicKeys(row)) {
            deterministic.putIfAbsent(key, id);
        }
        for (String key : BlockingKeys.of(row)) {
            List<Long> block = index.computeIfAbsent(key, k -> new ArrayList<>());
            if (!block.contains(id)) {
                block.add(id);
            }
        }
    }
}
