package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration overrides of the match weights: validated all at once at start, and winning per comparison. */
class MatchWeightsTests {

    private static IdentityProperties properties(Map<String, IdentityProperties.Levels> weights, Double prior) {
        return new IdentityProperties(0.99, 0.8, 50, 10, 20, new IdentityProperties.Rules("priority", Map.of(), Map.of()),
                weights, prior, Duration.ofSeconds(30));
    }

    @Test // #6
    void everyProblemInTheConfiguredWeightsIsNamedAtOnce() {
        var bad = Map.of(
                "first-nme", new IdentityProperties.Levels(List.of(1.0), null),
                "phone", new IdentityProperties.Levels(List.of(0.5, 0.5), List.of(0.5, 0.2, 0.2)),
                "city", new IdentityProperties.Levels(List.of(0.9, 0.05, 1.5), null));
        assertThatThrownBy(() -> MatchWeights.overrides(properties(bad, 1.0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.identity.weights.first-nme: unknown comparison; known: first-name, last-name")
                .hasMessageContaining("hub.identity.weights.phone.m: 2 values given, the comparison has 3 levels")
                .hasMessageContaining("hub.identity.weights.phone.u: the probabilities of the levels add up to 0.900, not 1")
                .hasMessageContaining("hub.identity.weights.city.m: 1.5 is not a probability")
                .hasMessageContaining("hub.identity.prior: 1.0 is not a probability");
    }

    @Test // #6
    void aConfiguredComparisonAndPriorWinOverAnEstimateTheOthersComeFromIt() {
        var configured = Map.of("FIRST_NAME", new IdentityProperties.Levels(List.of(0.6, 0.1, 0.1, 0.1, 0.1), null));
        var overrides = MatchWeights.overrides(properties(configured, 0.2));
        assertThat(overrides).containsOnlyKeys(Comparison.FIRST_NAME);
        MatchSettings estimate = MatchSettings.defaults().withParameters(MatchSettings.defaults().m(),
                MatchSettings.defaults().u(), 0.001);
        estimate.m().put(Comparison.PHONE, new double[] {0.95, 0.03, 0.02});
        MatchSettings inForce = MatchWeights.withOverrides(estimate, overrides, properties(configured, 0.2));
        assertThat(inForce.m().get(Comparison.FIRST_NAME)).containsExactly(0.6, 0.1, 0.1, 0.1, 0.1);
        assertThat(inForce.u().get(Comparison.FIRST_NAME)).containsExactly(MatchSettings.defaults().u().get(Comparison.FIRST_NAME));
        assertThat(inForce.m().get(Comparison.PHONE)).containsExactly(0.95, 0.03, 0.02);
        assertThat(inForce.prior()).isEqualTo(0.2);
        assertThat(inForce.mergeProbability()).isEqualTo(0.99);
    }
}
