package org.touchpointhub.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Why a decision was taken: each comparison with its level and weight, the prior, the total and its probability,
 * for the best candidate (customerId null when there was none).
 *
 * @param customerId the best candidate's customer id, or null
 * @param comparisons every comparison made against that candidate
 * @param priorWeight the prior as a weight
 * @param total prior plus all weights
 * @param probability the match probability the total stands for
 * @param decision MERGE, REVIEW, NO_MATCH or DETERMINISTIC
 */
public record Explanation(Long customerId, List<ComparisonResult> comparisons, double priorWeight, double total,
        double probability, String decision) {
    // A writer bound to this type, so no root-type lookup per call. A hand-written streaming JsonGenerator was tried and
    // was no cheaper in PreparationBenchmark.explanationJson (3.0-3.3 us against 2.6-3.9 us per explanation, noisy):
    // the cost is writing the doubles as text, which byte-identical output must keep.
    private static final ObjectWriter JSON = new ObjectMapper().writerFor(Explanation.class);

    /**
     * One scored comparison.
     *
     * @param comparison the comparison's name
     * @param level the agreement level's name, or "missing"
     * @param weight log2(m/u) of the level, 0 when missing
     */
    public record ComparisonResult(String comparison, String level, double weight) {
    }

    /** Returns this explanation as JSON, the form stored with every decision. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
