package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/** Weights re-estimated by EM from the live store, through the admin API; withdrawn again so other tests see defaults. */
class MatchWeightsIntegrationTests extends HubIntegrationTest {

    @Autowired
    MatchWeights weights;

    @Autowired
    IdentityResolver identity;

    @AfterEach
    void backToDefaults() {
        admin.delete("/admin/identity/weights/estimate");
    }

    @Test // #6
    void theWeightsInForceAreShownPerComparisonAndLevelWithTheirWeight() {
        JsonNode view = admin.get("/admin/identity/weights");
        assertThat(view.path("source").asText()).isEqualTo("defaults");
        JsonNode first = view.path("comparisons").path("FIRST_NAME");
        assertThat(first).hasSize(Comparison.FIRST_NAME.levels().size());
        assertThat(first.get(1).path("level").asText()).isEqualTo("nickname");
        double m = first.get(0).path("m").asDouble();
        double u = first.get(0).path("u").asDouble();
        assertThat(first.get(0).path("weight").asDouble()).isCloseTo(Math.log(m / u) / Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(view.path("mergeProbability").asDouble()).isEqualTo(0.99);
    }

    @Test // #6
    void aSampleOutsideItsBoundsOrTooFewRecordsIsAClearProblemAndNothingChanges() {
        assertThat(admin.post("/admin/identity/weights/estimate?sample=0", null).path("status").asInt()).isEqualTo(400);
        assertThat(admin.post("/admin/identity/weights/estimate?sample=999999999", null).path("type").asText())
                .endsWith("/bad-sample");
        JsonNode few = admin.post("/admin/identity/weights/estimate?sample=5", null);
        assertThat(few.path("status").asInt()).isEqualTo(409);
        assertThat(few.path("type").asText()).endsWith("/not-enough-data");
        assertThat(few.path("detail").asText()).contains("at least 100");
        assertThat(identity.settings().m().get(Comparison.FIRST_NAME)).containsExactly(MatchSettings.defaults().m().get(Comparison.FIRST_NAME));
    }

    @Test // #6
    void weightsEstimatedFromTheStoreAreKeptPutInForceAndWithdrawnAgain() {
        // given 300 synthetic people's form posts (nicknames, typos, households, repeat visitors) in the store
        List<Map<String, String>> rows = SyntheticPeople.generate(61, 200);
        for (Map<String, String> row : rows.subList(0, Math.min(300, rows.size()))) {
            StringBuilder body = new StringBuilder("form_name=weights");
            for (String f : List.of("first_name", "last_name", "email", "phone", "company")) {
                String v = row.get(f);
                if (v != null && !v.isBlank()) {
                    body.append('&').append(f).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            }
            assertThat(hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                    body.toString().getBytes(StandardCharsets.UTF_8), Map.of()).statusCode()).isEqualTo(202);
        }
        awaitIdle();
        // when
        JsonNode estimated = admin.post("/admin/identity/weights/estimate?sample=300", null);
        // then the estimate is in force, kept in the store, and differs from the documented defaults
        assertThat(estimated.path("source").asText()).isEqualTo("estimate");
        assertThat(estimated.path("estimate").path("records").asInt()).isBetween(100, 300);
        Long kept = jdbc.queryForObject("select count(*) from match_weights where withdrawn_at is null", Long.class);
        assertThat(kept).isEqualTo(1);
        double[] firstNameM = identity.settings().m().get(Comparison.FIRST_NAME);
        assertThat(firstNameM).isNotEqualTo(MatchSettings.defaults().m().get(Comparison.FIRST_NAME));
        assertThat(estimated.path("comparisons").path("FIRST_NAME").get(0).path("m").asDouble()).isEqualTo(firstNameM[0]);
        assertThat(estimated.path("mergeProbability").asDouble()).isEqualTo(0.99);
        // when withdrawn, the defaults are back
        JsonNode back = admin.delete("/admin/identity/weights/estimate");
        assertThat(back.path("source").asText()).isEqualTo("defaults");
        assertThat(identity.settings().m().get(Comparison.FIRST_NAME)).containsExactly(MatchSettings.defaults().m().get(Comparison.FIRST_NAME));
    }

    @Test // #6
    void anEstimateMadeByAnotherHubIsPickedUpOnTheNextRefresh() {
        // given another hub wrote an estimate into the shared store
        jdbc.update("insert into match_weights (records, settings) values (500, "
                + "'{\"prior\": 0.02, \"m\": {\"PHONE\": [0.9, 0.05, 0.05]}, \"u\": {}}'::jsonb)");
        // when this hub refreshes
        weights.refresh();
        // then its matcher uses it
        assertThat(identity.settings().m().get(Comparison.PHONE)).containsExactly(0.9, 0.05, 0.05);
        assertThat(identity.settings().prior()).isEqualTo(0.02);
        assertThat(admin.get("/admin/identity/weights").path("estimate").path("records").asInt()).isEqualTo(500);
    }
}
