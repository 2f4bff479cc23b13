package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which blocked candidates are scored: those sharing the most blocking keys with the record, at most a fixed number.
 *
 * <p>Why: in a large store many blocks are full (up to {@code max-block} customers each), so a record's keys find
 * a hundred or more customers, nearly all of whom share one weak key with it (a city with the family name, a company
 * word). Loading and scoring them all was most of a record's cost, and the cost grew with the store until blocks
 * filled. Two records of one person share many keys (name, name with postcode, with city, with year of birth, with
 * company, street), so ranking by the number of shared keys keeps the true match in the first few and bounds the work
 * per record whatever the store's size. Ties go to the older customer (smaller id), so the choice does not depend on
 * the order rows come back in.
 */
final class CandidateRanking {

    /**
     * The default of {@code hub.identity.max-candidates}. Measured on the labelled sets (in-memory engine): 20 gives the
     * same figures as no limit on Febrl 1–4, fake_1000 and patstat, and csv_example's pairwise recall 0.9022 instead of
     * 0.9041; 10 costs patstat 0.003 of B-cubed F1.
     */
    static final int DEFAULT_LIMIT = 20;

    private CandidateRanking() {
    }

    /**
     * The candidates to score, most shared keys first.
     *
     * @param sharedKeys per candidate customer, how many of the record's usable blocking keys it shares
     * @param limit      at most this many (0 or less: all)
     */
    static List<Long> strongest(Map<Long, Integer> sharedKeys, int limit) {
        List<Map.Entry<Long, Integer>> entries = new ArrayList<>(sharedKeys.entrySet());
        entries.sort(Comparator.<Map.Entry<Long, Integer>>comparingInt(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        int n = limit <= 0 ? entries.size() : Math.min(limit, entries.size());
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(entries.get(i).getKey());
        }
        return out;
    }
}
