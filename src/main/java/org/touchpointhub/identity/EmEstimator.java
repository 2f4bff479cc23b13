package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates m, u and the prior by expectation–maximisation over unlabelled record pairs that share a blocking key,
 * the population the matcher decides on (Fellegi–Sunter with EM as in Winkler 1988 and Splink).
 *
 * <p>Use: periodically (or once per imported batch) take a sample of stored records, call
 * {@link #estimate(List, MatchSettings)}, review the resulting weights and put them into configuration; the
 * pipeline then scores with {@code new ProbabilisticMatcher(settings)}. Configuration may still override any
 * m/u. EM starts from the given settings so it converges to the "same person" split rather than, say,
 * "same household"; thresholds stay probabilities and are never fitted.
 */
public final class EmEstimator {
    private static final int MAX_BLOCK_RECORDS = 40;
    private static final int MAX_PAIRS = 200_000;
    private static final int ITERATIONS = 40;
    private static final int RANDOM_PAIRS = 100_000;

    private EmEstimator() {
    }

    /**
     * Estimates the weights as Splink does: u from random record pairs (almost all of them different people, so
     * their agreement rates are the chance agreement rates, and no EM is needed for them), m and the share of
     * matches among blocked pairs by EM over blocked pairs with u held fixed. The returned prior is the chance that
     * any two records match (expected matches among blocked pairs over all pairs), the prior the random-pair u
     * values belong with; thresholds are kept.
     */
    public static MatchSettings estimate(List<PersonAttributes> records, MatchSettings start) {
        if (records.size() < 3) {
            return start;
        }
        Map<Comparison, double[]> u = randomPairU(records);
        List<int[]> blocked = blockedPairVectors(records);
        MatchSettings em = run(blocked, start.withParameters(start.m(), u, start.prior()), true);
        double allPairs = records.size() * (records.size() - 1) / 2.0;
        double lambda = Math.min(0.5, Math.max(1e-7, em.prior() * blocked.size() / allPairs));
        return em.withParameters(em.m(), u, lambda);
    }

    /** Returns chance agreement rates per comparison level from a fixed-seed sample of random record pairs. */
    static Map<Comparison, double[]> randomPairU(List<PersonAttributes> records) {
        Comparison[] all = Comparison.values();
        Map<Comparison, double[]> counts = new EnumMap<>(Comparison.class);
        for (Comparison c : all) {
            counts.put(c, filled(c.levels().size(), 1.0));
        }
        java.util.Random random = new java.util.Random(6);
        int n = records.size();
        for (int s = 0; s < RANDOM_PAIRS; s++) {
            int i = random.nextInt(n);
            int j = random.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            int[] v = ProbabilisticMatcher.levels(records.get(i), Candidate.of(-1, List.of(records.get(j))));
            for (int k = 0; k < all.length; k++) {
                if (v[k] >= 0) {
                    counts.get(all[k])[v[k]] += 1;
                }
            }
        }
        Map<Comparison, double[]> u = new EnumMap<>(Comparison.class);
        counts.forEach((c, v) -> u.put(c, normalized(v)));
        return u;
    }

    /** Returns the comparison-level vectors of record pairs that share at least one blocking key (capped per block). */
    public static List<int[]> blockedPairVectors(List<PersonAttributes> records) {
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (String key : BlockingKeys.of(records.get(i))) {
                List<Integer> block = blocks.computeIfAbsent(key, k -> new ArrayList<>());
                if (block.size() < MAX_BLOCK_RECORDS) {
                    block.add(i);
                }
            }
        }
        Set<Long> seen = new HashSet<>();
        List<int[]> vectors = new ArrayList<>();
        for (List<Integer> block : blocks.values()) {
            for (int a = 0; a < block.size(); a++) {
                for (int b = a + 1; b < block.size(); b++) {
                    int i = Math.min(block.get(a), block.get(b));
                    int j = Math.max(block.get(a), block.get(b));
                    if (vectors.size() < MAX_PAIRS && seen.add(((long) i << 32) | j)) {
                        vectors.add(ProbabilisticMatcher.levels(records.get(i), Candidate.of(-1, List.of(records.get(j)))));
                    }
                }
            }
        }
        return vectors;
    }

    /** Runs EM on comparison-level vectors (-1 = missing, ignored) and returns the estimated settings. */
    public static MatchSettings estimateFromVectors(List<int[]> vectors, MatchSettings start) {
        return run(vectors, start, false);
    }

    private static MatchSettings run(List<int[]> vectors, MatchSettings start, boolean fixedU) {
        Comparison[] all = Comparison.values();
        Map<Comparison, double[]> m = copy(start.m());
        Map<Comparison, double[]> u = copy(start.u());
        double prior = start.prior();
        if (vectors.isEmpty()) {
            return start;
        }
        for (int iter = 0; iter < ITERATIONS; iter++) {
            Map<Comparison, double[]> mSum = new EnumMap<>(Comparison.class);
            Map<Comparison, double[]> uSum = new EnumMap<>(Comparison.class);
            for (Comparison c : all) {
                // A pseudo-count of one pair per level keeps unseen levels from getting probability zero.
                mSum.put(c, filled(c.levels().size(), 1.0));
                uSum.put(c, filled(c.levels().size(), 1.0));
            }
            double matchTotal = 0;
            for (int[] v : vectors) {
                double lm = Math.log(prior);
                double lu = Math.log(1 - prior);
                for (int k = 0; k < all.length; k++) {
                    if (v[k] >= 0) {
                        lm += Math.log(m.get(all[k])[v[k]]);
                        lu += Math.log(u.get(all[k])[v[k]]);
                    }
                }
                double p = 1 / (1 + Math.exp(lu - lm));
                matchTotal += p;
                for (int k = 0; k < all.length; k++) {
                    if (v[k] >= 0) {
                        mSum.get(all[k])[v[k]] += p;
                        uSum.get(all[k])[v[k]] += 1 - p;
                    }
                }
            }
            prior = Math.min(0.999, Math.max(1e-6, matchTotal / vectors.size()));
            for (Comparison c : all) {
                m.put(c, normalized(mSum.get(c)));
                if (!fixedU) {
                    u.put(c, normalized(uSum.get(c)));
                }
            }
        }
        return start.withParameters(m, u, prior);
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static double[] normalized(double[] counts) {
        double sum = 0;
        for (double c : counts) {
            sum += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] / sum;
        }
        return out;
    }

    private static Map<Comparison, double[]> copy(Map<Comparison, double[]> source) {
        Map<Comparison, double[]> out = new EnumMap<>(Comparison.class);
        source.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
