package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeded synthetic contacts: reproducible, realistic variants, and resolved to the targets of #6. */
class SyntheticPeopleTests {

    @Test // #6
    void theSameSeedGivesTheSameRows() {
        // given / when
        List<Map<String, String>> a = SyntheticPeople.generate(7, 50);
        List<Map<String, String>> b = SyntheticPeople.generate(7, 50);
        // then
        assertThat(a).isEqualTo(b);
        assertThat(a.size()).isGreaterThan(50);
    }

    @Test // #6
    void syntheticContactsAreResolvedPreciselyAndHouseholdsAreNotMerged() {
        // given
        List<Map<String, String>> rows = SyntheticPeople.generate(42, 400);
        // when
        Evaluation.Report report = SharedSetEvaluationTests.evaluate("synthetic", rows);
        // then
        assertThat(report.metrics().pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(report.metrics().pairF1()).isGreaterThanOrEqualTo(0.90);
        int households = 0;
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                Map<String, String> x = rows.get(i);
                Map<String, String> y = rows.get(j);
                if (x.get("last_name").equals(y.get("last_name")) && x.get("street") != null
                        && x.get("street").equals(y.get("street")) && !x.get("first_name").equals(y.get("first_name"))
                        && !x.get("truth").equals(y.get("truth"))) {
                    households++;
                    assertThat(report.customerIds().get(i)).isNotEqualTo(report.customerIds().get(j));
                }
            }
        }
        assertThat(households).isPositive();
    }
}
