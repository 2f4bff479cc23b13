package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.touchpointhub.evaluate.StoreEvaluation;

/**
 * The shared labelled sets through the engine the {@code evaluate} command uses: the hub without web server and
 * routes, every row one pipeline transaction against PostgreSQL, weights estimated by EM from the unlabelled rows.
 * Each set starts from an empty store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "hub.data-dir=target/it-data/evaluate-${random.uuid}",
        "hub.connectors-dir=connectors",
        "hub.routes-dir=routes",
        "camel.main.auto-startup=false",
})
class EvaluateCommandIntegrationTests {

    @Autowired
    StoreEvaluation evaluation;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IdentityResolver identity;

    private MatchSettings initial;

    static List<Map<String, String>> csv(String path) {
        try (Reader reader = new InputStreamReader(
                EvaluateCommandIntegrationTests.class.getResourceAsStream("/fixtures/identity/" + path), StandardCharsets.UTF_8)) {
            return EvaluationCsv.read(reader);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeEach
    void emptyStore() {
        jdbc.execute("truncate customers, identity_keys, blocking_keys, match_decisions, possible_duplicates, merges, "
                + "no_merge, touchpoints, observations, outbox, events restart identity cascade");
        if (initial == null) {
            evaluation.relaxDurabilityOfThrowawayStore();
            initial = identity.settings();
        }
        identity.useWeights(initial);
    }

    private EvaluationMetrics evaluate(String name, List<Map<String, String>> rows) {
        Evaluation.Report report = evaluation.run(rows, Converters.TRUTH, true);
        System.out.println("[#6 evaluate] " + name + ": " + report.summary());
        return report.metrics();
    }

    @Test // #6
    void febrl1MeetsTargetsThroughThePipeline() {
        // given
        List<Map<String, String>> rows = Converters.febrl(csv("febrl/dataset1.csv"), "febrl1");
        // when
        EvaluationMetrics m = evaluate("febrl1", rows);
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test // #6
    void splinkFake1000MeetsTargetsThroughThePipeline() {
        // given
        List<Map<String, String>> rows = Converters.splinkFake1000(csv("splink_fake_1000/fake_1000.csv"));
        // when
        EvaluationMetrics m = evaluate("splink fake_1000", rows);
        // then
        assertThat(m.pairPrecision()).isGreaterThanOrEqualTo(0.98);
        assertThat(m.pairF1()).isGreaterThanOrEqualTo(0.90);
    }
}
