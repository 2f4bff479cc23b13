package org.touchpointhub.evaluate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.identity.EmEstimator;
import org.touchpointhub.identity.Evaluation;
import org.touchpointhub.identity.EvaluationMetrics;
import org.touchpointhub.identity.IdentityResolver;
import org.touchpointhub.identity.MatchWeights;
import org.touchpointhub.identity.PersonAttributes;
import org.touchpointhub.pipeline.EventPipeline;

/**
 * Runs evaluation rows through {@link EventPipeline} (one transaction per row, in row order) as touchpoints of the
 * built-in {@code evaluate} source, then reads back which customer each row ended up in (merges made after a row
 * was recorded count) and scores that clustering.
 *
 * <p>Weights: with {@code estimateWeights} the m/u probabilities and prior are first estimated by EM from the rows
 * themselves, unlabelled (as Splink does); thresholds stay the configured probabilities. The truth column is read
 * only after resolution, for scoring.
 */
@Component
public class StoreEvaluation {

    /** The source (connector id) evaluation touchpoints are recorded under. */
    public static final String SOURCE = "evaluate";

    private static final List<String> COLUMNS = List.of("first_name", "last_name", "full_name", "email", "phone",
            "company", "street", "city", "postcode", "country", "dob");

    private final EventPipeline pipeline;
    private final IdentityResolver identity;
    private final MatchWeights weights;
    private final JdbcTemplate jdbc;
    private final String region;

    StoreEvaluation(EventPipeline pipeline, IdentityResolver identity, MatchWeights weights, JdbcTemplate jdbc,
            @Value("${hub.default-region:US}") String region) {
        this.pipeline = pipeline;
        this.identity = identity;
        this.weights = weights;
        this.jdbc = jdbc;
        this.region = region;
    }

    /**
     * Lets a throwaway store commit without waiting for its WAL flush ({@code synchronous_commit=off}). Only for a
     * store created for this run: it changes durability, not what is computed.
     */
    public void relaxDurabilityOfThrowawayStore() {
        jdbc.execute("alter system set synchronous_commit = off");
        jdbc.execute("select pg_reload_conf()");
    }

    /** Resolves every row through the pipeline and scores the clusters against truthColumn (null for none). */
    public Evaluation.Report run(List<Map<String, String>> rows, String truthColumn, boolean estimateWeights) {
        if (estimateWeights) {
            List<PersonAttributes> persons = new ArrayList<>(rows.size());
            rows.forEach(r -> persons.add(PersonAttributes.fromColumns(r, region)));
            weights.pin(EmEstimator.estimate(persons, identity.settings()));
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        List<String> keys = new ArrayList<>(rows.size());
        long start = System.nanoTime();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String key = run + "-" + i;
            keys.add(SOURCE + ":" + key);
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String column : COLUMNS) {
                String v = row.get(column);
                if (v != null && !v.isBlank()) {
                    attributes.put(column, v);
                }
            }
            String source = row.getOrDefault("source", "").isBlank() ? SOURCE : row.get("source");
            Instant at = base.plusSeconds(i);
            CanonicalTouchpoint tp = new CanonicalTouchpoint(SOURCE, key, "record_imported", "import", at, "",
                    new PersonFacts(attributes, Map.of()), Map.of());
            InboundEnvelope envelope = new InboundEnvelope(SOURCE, key, "record", null, at, "application/json",
                    row.getOrDefault("id", "").getBytes(StandardCharsets.UTF_8));
            pipeline.processMapped(envelope, List.of(tp), source, 50);
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        Map<String, Long> customerOf = new HashMap<>();
        jdbc.query("select t.touchpoint_key, coalesce(c.merged_into, c.id) from touchpoints t join customers c on c.id = t.customer_id "
                + "where t.connector = ? and t.touchpoint_key like ?", rs -> {
                    customerOf.put(rs.getString(1), rs.getLong(2));
                }, SOURCE, SOURCE + ":" + run + "-%");
        List<String> ids = new ArrayList<>(rows.size());
        List<Long> customers = new ArrayList<>(rows.size());
        List<String> predicted = new ArrayList<>(rows.size());
        List<String> truth = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ids.add(rows.get(i).getOrDefault("id", ""));
            long customer = customerOf.getOrDefault(keys.get(i), -1L - i);
            customers.add(customer);
            predicted.add(Long.toString(customer));
            if (truthColumn != null) {
                truth.add(rows.get(i).getOrDefault(truthColumn, ""));
            }
        }
        EvaluationMetrics metrics = truthColumn == null ? null : EvaluationMetrics.of(predicted, truth);
        return new Evaluation.Report(ids, customers, metrics, rows.size() / seconds);
    }
}
