package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Survivorship rules per field from configuration, and folding equals recomputing. */
class SurvivorshipTests {

    private static Map.Entry<String, Survivorship.Observed> obs(String attribute, String value, int priority, long time, String source) {
        return Map.entry(attribute, new Survivorship.Observed(value, priority, time, source));
    }

    @Test // #6
    void eachFieldFollowsItsRuleAndSourcePriorityCanBeOverridden() {
        // given priority by default, recency for email, completeness for street, and the CRM trusted above all
        Survivorship rules = new Survivorship("priority", Map.of("email", "recency", "street", "completeness"),
                Map.of("salesforce", 100));
        List<Map.Entry<String, Survivorship.Observed>> observations = List.of(
                obs("first_name", "William", rules.priority("salesforce", 10), 1, "salesforce"),
                obs("first_name", "Bill", rules.priority("webform", 50), 2, "webform"),
                obs("email", "old@example.com", 90, 1, "stripe"),
                obs("email", "new@example.com", 10, 5, "webform"),
                obs("street", "1 High Street, Flat 2", 10, 1, "webform"),
                obs("street", "1 High St", 90, 9, "stripe"));
        // when
        Map<String, Survivorship.Observed> golden = rules.golden(observations);
        // then
        assertThat(golden.get("first_name").value()).isEqualTo("William");
        assertThat(golden.get("email").value()).isEqualTo("new@example.com");
        assertThat(golden.get("street").value()).isEqualTo("1 High Street, Flat 2");
    }

    @Test // #6
    void foldingObservationsOneByOneGivesTheRecomputedRecord() {
        // given
        Survivorship rules = Survivorship.defaults();
        List<Map.Entry<String, Survivorship.Observed>> observations = List.of(
                obs("phone", "+441", 50, 3, "a"), obs("phone", "+442", 50, 4, "b"), obs("phone", "+443", 60, 1, "c"));
        // when
        Survivorship.Observed folded = null;
        for (Map.Entry<String, Survivorship.Observed> o : observations) {
            if (rules.better("phone", o.getValue(), folded)) {
                folded = o.getValue();
            }
        }
        // then
        assertThat(folded).isEqualTo(rules.golden(observations).get("phone"));
        assertThat(folded.value()).isEqualTo("+443");
    }
}
