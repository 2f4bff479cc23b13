package org.touchpointhub.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clustering quality of predicted customers against true entities: pairwise and B-cubed precision, recall, F1.
 *
 * @param pairPrecision share of predicted same-customer pairs that are truly the same entity
 * @param pairRecall share of true same-entity pairs that were predicted
 * @param pairF1 harmonic mean of the two
 * @param bcubedPrecision mean over records of the truly-same share of its predicted cluster
 * @param bcubedRecall mean over records of the predicted share of its true cluster
 * @param bcubedF1 harmonic mean of the two
 */
public record EvaluationMetrics(double pairPrecision, double pairRecall, double pairF1, double bcubedPrecision,
        double bcubedRecall, double bcubedF1) {

    /** Computes the metrics from the predicted and the true cluster label of each record, in the same order. */
    public static EvaluationMetrics of(List<String> predicted, List<String> truth) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException("predicted and truth differ in size");
        }
        Map<String, Integer> predSize = new HashMap<>();
        Map<String, Integer> trueSize = new HashMap<>();
        Map<String, Integer> cellSize = new HashMap<>();
        for (int i = 0; i < predicted.size(); i++) {
            predSize.merge(predicted.get(i), 1, Integer::sum);
            trueSize.merge(truth.get(i), 1, Integer::sum);
            cellSize.merge(predicted.get(i) + "\u0000" + truth.get(i), 1, Integer::sum);
        }
        double tp = pairs(cellSize);
        double predPairs = pairs(predSize);
        double truePairs = pairs(trueSize);
        double p = predPairs == 0 ? 1 : tp / predPairs;
        double r = truePairs == 0 ? 1 : tp / truePairs;
        double bp = 0;
        double br = 0;
        for (int i = 0; i < predicted.size(); i++) {
            double cell = cellSize.get(predicted.get(i) + "\u0000" + truth.get(i));
            bp += cell / predSize.get(predicted.get(i));
            br += cell / trueSize.get(truth.get(i));
        }
        int n = Math.max(1, predicted.size());
        bp /= n;
        br /= n;
        return new EvaluationMetrics(p, r, f1(p, r), bp, br, f1(bp, br));
    }

    private static double pairs(Map<String, Integer> sizes) {
        double total = 0;
        for (int s : sizes.values()) {
            total += (double) s * (s - 1) / 2;
        }
        return total;
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
