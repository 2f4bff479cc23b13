package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs input rows through any identity engine and measures the clustering against a truth column. */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * The outcome of one evaluation run.
     *
     * @param rowIds the input row ids, in order
     * @param customerIds the customer each row resolved to
     * @param metrics pairwise and B-cubed scores, or null without a truth column
     * @param recordsPerSecond throughput of the engine alone
     */
    public record Report(List<String> rowIds, List<Long> customerIds, EvaluationMetrics metrics, double recordsPerSecond) {

        /** Returns the report as the lines the evaluate command prints. */
        public String summary() {
            String speed = String.format("records=%d records/s=%.0f", rowIds.size(), recordsPerSecond);
            if (metrics == null) {
                return speed;
            }
            return String.format("pairwise P=%.4f R=%.4f F1=%.4f | B-cubed P=%.4f R=%.4f F1=%.4f | %s",
                    metrics.pairPrecision(), metrics.pairRecall(), metrics.pairF1(), metrics.bcubedPrecision(),
                    metrics.bcubedRecall(), metrics.bcubedF1(), speed);
        }
    }

    /** Normalizes the rows, resolves each through the engine in order and scores against truthColumn (null for none). */
    public static Report run(IdentityEngine engine, List<Map<String, String>> rows, String truthColumn, String defaultRegion) {
        return run(engine, normalize(rows, defaultRegion), rows, truthColumn);
    }

    /** Normalizes input rows into persons (the same step the ingest pipeline performs). */
    public static List<PersonAttributes> normalize(List<Map<String, String>> rows, String defaultRegion) {
        List<PersonAttributes> out = new ArrayList<>(rows.size());
        for (Map<String, String> r : rows) {
            out.add(PersonAttributes.fromColumns(r, defaultRegion));
        }
        return out;
    }

    /** Resolves already-normalized persons through the engine and scores against truthColumn of the raw rows. */
    public static Report run(IdentityEngine engine, List<PersonAttributes> persons, List<Map<String, String>> rows,
            String truthColumn) {
        List<Long> customers = new ArrayList<>(persons.size());
        long start = System.nanoTime();
        for (PersonAttributes p : persons) {
            customers.add(engine.resolve(p));
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        customers.replaceAll(engine::current);
        List<String> ids = column(rows, r -> r.getOrDefault("id", ""));
        EvaluationMetrics metrics = null;
        if (truthColumn != null) {
            List<String> predicted = new ArrayList<>();
            customers.forEach(c -> predicted.add(Long.toString(c)));
            metrics = EvaluationMetrics.of(predicted, column(rows, r -> r.getOrDefault(truthColumn, "")));
        }
        return new Report(ids, customers, metrics, persons.size() / seconds);
    }

    private static List<String> column(List<Map<String, String>> rows, Function<Map<String, String>, String> f) {
        List<String> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(f.apply(r)));
        return out;
    }
}
