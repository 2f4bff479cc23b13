package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs each shared labelled set (and the synthetic contacts) through the in-memory engine, the same algorithm the
 * store runs, with weights estimated from the unlabelled rows, and checks the targets of #6. The pipeline itself is
 * measured on febrl1 and fake_1000 by {@link EvaluateCommandIntegrationTests}.
 */
class SharedSetEvaluationTests {

    private static List<Map<String, String>> csv(String path) {
        try (Reader reader = new InputStreamReader(
                SharedSetEvaluationTests.class.getResourceAsStream("/fixtures/identity/" + path), StandardCharsets.UTF_8)) {
            return EvaluationCsv.read(reader);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Estimates weights from the unlabelled rows themselves (no truth), then resolves them in file order. */
    static Evaluation.Report evaluate(String name, List<Map<String, String>> rows) {
        List<PersonAttributes> persons = Evaluation.normalize(rows, "US");
        MatchSettings settings = EmEstimator.estimate(persons, MatchSettings.defaults());
        Evaluation.Report report = Evaluation.run(new InMemoryIdentityEngine(new ProbabilisticMatcher(settings)),
                persons, rows, Converters.TRUTH);
        System.out.println("[#6 evaluation] " + name + ": " + report.summary() + String.format(" prior=%.4f", settings.prior()));
        return report;
    }

    @Test // #6
    void febrl1MeetsTargets() {
        // given
        List<Map<String, String>> rows = Converters.febrl(csv("febrl/dataset1.csv"), "febrl1");
        // when
        EvaluationMetrics m = evaluate("febrl1", rows).metrics();
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test // #6
    void febrl2MeetsTargets() {
        // given
        List<Map<String, String>> rows = Converters.febrl(csv("febrl/dataset2.csv"), "febrl2");
        // when
        EvaluationMetrics m = evaluate("febrl2", rows).metrics();
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test // #6
    void febrl3MeetsTargets() {
        // given
        List<Map<String, String>> rows = Converters.febrl(csv("febrl/dataset3.csv"), "febrl3");
        // when
        EvaluationMetrics m = evaluate("febrl3", rows).metrics();
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test // #6
    void febrl4LinkageMeetsTargets() {
        // given both files in one input, as a linkage
        List<Map<String, String>> rows = new ArrayList<>(Converters.febrl(csv("febrl/dataset4a.csv"), "febrl4a"));
        rows.addAll(Converters.febrl(csv("febrl/dataset4b.csv"), "febrl4b"));
        // when
        EvaluationMetrics m = evaluate("febrl4a+4b", rows).metrics();
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test // #6
    void splinkFake1000MeetsTargets() {
        // given
        List<Map<String, String>> rows = Converters.splinkFake1000(csv("splink_fake_1000/fake_1000.csv"));
        // when
        EvaluationMetrics m = evaluate("splink fake_1000", rows).metrics();
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.90);
    }

    @Test // #6
    void dedupeCsvExampleMeetsTargets() {
        // given
        List<Map<String, String>> rows = Converters.dedupeCsvExample(csv("dedupe_csv_example/csv_example_input_with_true_ids.csv"));
        // when
        EvaluationMetrics m = evaluate("dedupe csv_example", rows).metrics();
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.95);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.85);
    }

    @Test // #6
    void dedupePatstatMeetsTargets() {
        // given
        List<Map<String, String>> rows = Converters.dedupePatstat(csv("dedupe_patstat/patstat_input.csv"),
                csv("dedupe_patstat/patstat_reference.csv"));
        // when
        EvaluationMetrics m = evaluate("dedupe patstat", rows).metrics();
        // then
        assertThat(m.bcubedF1()).isGreaterThanOrEqualTo(0.80);
    }
}
