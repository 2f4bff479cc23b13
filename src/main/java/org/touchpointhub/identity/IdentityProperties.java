package org.touchpointhub.identity;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity settings under {@code hub.identity}: decision thresholds (probabilities, so they keep their meaning when
 * weights change), blocking bounds and survivorship rules.
 *
 * @param mergeProbability match probability at or above which a record merges into its best candidate
 * @param reviewProbability match probability at or above which a possible-duplicate link is made instead
 * @param maxBlock a blocking key shared by more customers than this is too common to discriminate and is skipped
 * @param candidateTouchpoints how many of a candidate's latest touchpoints' observations are compared
 * @param maxCandidates at most this many of the customers found through blocking keys are loaded and scored per record:
 *                      those sharing the most keys with it ({@link CandidateRanking}; 0 = all)
 * @param survivorship which observed value wins per field
 * @param weights per comparison (e.g. {@code first-name}), m and u probabilities of each level that override the
 *                defaults and any EM estimate; none by default
 * @param prior chance that a candidate found by blocking is the same person, overriding the default and any estimate
 * @param weightsRefreshInterval how often a hub re-reads the EM estimate in force (another hub may have made one)
 */
@ConfigurationProperties("hub.identity")
record IdentityProperties(@DefaultValue("0.99") double mergeProbability, @DefaultValue("0.80") double reviewProbability,
        @DefaultValue("50") int maxBlock, @DefaultValue("10") int candidateTouchpoints,
        @DefaultValue("20") int maxCandidates, // CandidateRanking.DEFAULT_LIMIT
        @DefaultValue Rules survivorship, Map<String, Levels> weights, Double prior,
        @DefaultValue("30s") java.time.Duration weightsRefreshInterval) {

    /**
     * Configured probabilities of one comparison's levels, best level first (see {@code GET /admin/identity/weights}
     * for the level names).
     *
     * @param m chance of each level for two records of the same person
     * @param u chance of each level for two different people among blocked candidates
     */
    record Levels(java.util.List<Double> m, java.util.List<Double> u) {
    }

    /**
     * Survivorship rules.
     *
     * @param defaultRule priority (source priority, then recency), recency (newest, then priority) or completeness
     *                    (longest value, then priority, then recency)
     * @param fields per attribute, a rule other than the default
     * @param sourcePriority per source (connector id), a priority overriding the connector's own
     */
    record Rules(@DefaultValue("priority") String defaultRule, Map<String, String> fields,
            Map<String, Integer> sourcePriority) {
    }

    /** Returns the survivorship these settings describe. */
    Survivorship toSurvivorship() {
        Rules r = survivorship;
        return new Survivorship(r.defaultRule(), r.fields() == null ? Map.of() : r.fields(),
                r.sourcePriority() == null ? Map.of() : r.sourcePriority());
    }
}
