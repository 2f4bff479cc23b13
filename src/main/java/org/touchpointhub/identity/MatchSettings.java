package org.touchpointhub.identity;

import java.util.EnumMap;
import java.util.Map;

/**
 * Fellegi–Sunter parameters and decision thresholds. {@code m[level]} is the chance of that level for two records
 * of the same person, {@code u[level]} for two different people; both are taken among candidates found by
 * blocking, which is also the population {@code prior} (chance that a blocked candidate is the same person)
 * refers to. Weights are log2(m/u); the total is log2(prior/(1-prior)) plus the weights.
 *
 * @param m per comparison, the m probability of each level
 * @param u per comparison, the u probability of each level
 * @param prior chance that a candidate found by blocking is the same person
 * @param mergeProbability match probability at or above which the record merges into the candidate
 * @param reviewProbability match probability at or above which a possible-duplicate link is made instead
 */
public record MatchSettings(Map<Comparison, double[]> m, Map<Comparison, double[]> u, double prior,
        double mergeProbability, double reviewProbability) {

    /**
     * Returns documented priors for a CRM store, used until EM estimates replace them.
     *
     * <p>m: share of true pairs at each level, from the error rates reported for CRM and census-like person data
     * (roughly 85–90% exact agreement per field, the rest typos, nicknames and reformatting). u: share of blocked
     * non-matching pairs at each level (blocking makes agreement on the blocked field common, so u of "exact" is
     * far above the random-pair frequency). Prior 0.05: about one blocked candidate in twenty is the same person.
     */
    public static MatchSettings defaults() {
        Map<Comparison, double[]> m = new EnumMap<>(Comparison.class);
        Map<Comparison, double[]> u = new EnumMap<>(Comparison.class);
        m.put(Comparison.FIRST_NAME, new double[] {0.85, 0.03, 0.07, 0.03, 0.02});
        u.put(Comparison.FIRST_NAME, new double[] {0.05, 0.005, 0.01, 0.06, 0.875});
        m.put(Comparison.LAST_NAME, new double[] {0.87, 0.08, 0.03, 0.02});
        u.put(Comparison.LAST_NAME, new double[] {0.10, 0.01, 0.06, 0.83});
        m.put(Comparison.EMAIL, new double[] {0.70, 0.10, 0.10, 0.03, 0.07});
        u.put(Comparison.EMAIL, new double[] {0.0005, 0.002, 0.01, 0.05, 0.9375});
        m.put(Comparison.PHONE, new double[] {0.80, 0.08, 0.12});
        u.put(Comparison.PHONE, new double[] {0.02, 0.005, 0.975});
        m.put(Comparison.DOB, new double[] {0.85, 0.10, 0.03, 0.02});
        u.put(Comparison.DOB, new double[] {0.03, 0.02, 0.10, 0.85});
        m.put(Comparison.STREET, new double[] {0.75, 0.15, 0.04, 0.06});
        u.put(Comparison.STREET, new double[] {0.02, 0.01, 0.05, 0.92});
        m.put(Comparison.POSTCODE, new double[] {0.85, 0.08, 0.07});
        u.put(Comparison.POSTCODE, new double[] {0.10, 0.05, 0.85});
        m.put(Comparison.CITY, new double[] {0.85, 0.08, 0.07});
        u.put(Comparison.CITY, new double[] {0.15, 0.02, 0.83});
        m.put(Comparison.COMPANY, new double[] {0.70, 0.15, 0.10, 0.05});
        u.put(Comparison.COMPANY, new double[] {0.02, 0.03, 0.10, 0.85});
        return new MatchSettings(m, u, 0.05, 0.99, 0.80);
    }

    /** Returns a copy with other m/u probabilities and prior, keeping the thresholds (how EM estimates are applied). */
    public MatchSettings withParameters(Map<Comparison, double[]> newM, Map<Comparison, double[]> newU, double newPrior) {
        return new MatchSettings(newM, newU, newPrior, mergeProbability, reviewProbability);
    }

    /** Returns the weight log2(m/u) of one level of one comparison. */
    public double weight(Comparison comparison, int level) {
        double mv = Math.max(m.get(comparison)[level], 1e-6);
        double uv = Math.max(u.get(comparison)[level], 1e-6);
        return Math.log(mv / uv) / Math.log(2);
    }

    /** Returns the prior expressed as a weight, log2(prior/(1-prior)). */
    public double priorWeight() {
        return Math.log(prior / (1 - prior)) / Math.log(2);
    }

    /** Returns the total weight at or above which a candidate merges. */
    public double mergeWeight() {
        return Math.log(mergeProbability / (1 - mergeProbability)) / Math.log(2);
    }

    /** Returns the total weight at or above which a candidate is linked for review. */
    public double reviewWeight() {
        return Math.log(reviewProbability / (1 - reviewProbability)) / Math.log(2);
    }
}
