package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HostileStrings;

/** {@link Explanation#toJson} (a type-bound ObjectWriter) writes byte for byte what ObjectMapper.writeValueAsString wrote before. */
class ExplanationJsonTests {
    private static final ObjectMapper ORACLE = new ObjectMapper();
    private static final double[] ODD = {0.0, -0.0, 1.0, -1.5, 0.1, 1e-300, -1e300, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 12345.678901234567, 3.0e-5};

    private static double number(Random random) {
        return random.nextInt(4) == 0 ? ODD[random.nextInt(ODD.length)] : (random.nextDouble() - 0.5) * 40;
    }

    @Test // #7
    void toJson_isByteIdenticalToObjectMapperOnVariedExplanations() throws Exception {
        Random random = new Random(41);
        List<String> texts = HostileStrings.random(43, 500);
        for (int i = 0; i < 3_000; i++) {
            List<Explanation.ComparisonResult> comparisons = null;
            if (random.nextInt(10) > 0) {
                comparisons = new ArrayList<>();
                int n = random.nextInt(12);
                for (int c = 0; c < n; c++) {
                    comparisons.add(random.nextInt(50) == 0 ? null : new Explanation.ComparisonResult(
                            random.nextInt(20) == 0 ? null : texts.get(random.nextInt(texts.size())),
                            random.nextInt(20) == 0 ? null : texts.get(random.nextInt(texts.size())), number(random)));
                }
            }
            Long customer = random.nextInt(5) == 0 ? null : random.nextInt(3) == 0 ? (Long) random.nextLong()
                    : (Long) (long) random.nextInt(100_000);
            String decision = random.nextInt(10) == 0 ? null : random.nextInt(3) == 0 ? texts.get(random.nextInt(texts.size()))
                    : Arrays.asList("MERGE", "REVIEW", "NO_MATCH", "DETERMINISTIC").get(random.nextInt(4));
            Explanation e = new Explanation(customer, comparisons, number(random), number(random), number(random), decision);
            assertThat(e.toJson()).isEqualTo(ORACLE.writeValueAsString(e));
        }
    }

    @Test // #7
    void toJson_ofARealDecisionKeepsItsShape() throws Exception {
        Explanation e = new Explanation(42L, List.of(new Explanation.ComparisonResult("email", "exact", 7.25),
                new Explanation.ComparisonResult("phone", "missing", 0)), -9.96, -2.71, 0.1324, "REVIEW");
        assertThat(e.toJson()).isEqualTo("{\"customerId\":42,\"comparisons\":[{\"comparison\":\"email\",\"level\":\"exact\","
                + "\"weight\":7.25},{\"comparison\":\"phone\",\"level\":\"missing\",\"weight\":0.0}],\"priorWeight\":-9.96,"
                + "\"total\":-2.71,\"probability\":0.1324,\"decision\":\"REVIEW\"}");
        assertThat(e.toJson()).isEqualTo(ORACLE.writeValueAsString(e));
    }
}
