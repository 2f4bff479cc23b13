package org.touchpointhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.identity.BlockingKeys;
import org.touchpointhub.identity.PersonAttributes;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/**
 * The benchmark's preload against the hub's real store: preloaded customers carry what the live path would have
 * written (keys computed by the same code), and the live resolver finds them, by key for an exact repeat and through
 * blocking and scoring for a fuzzy variant.
 */
class PreloadIntegrationTests extends HubIntegrationTest {

    /** Far from the bench's usual range, so no other test's people are these. */
    private static final int FROM = 3_000_000;
    private static final int COUNT = 300;

    @Test // #7 #6
    void preloadedCustomersLookLikeLiveOnesAndTheLiveResolverFindsThem() throws Exception {
        Preload.Report report;
        try (Connection c = jdbc.getDataSource().getConnection()) {
            report = Preload.load(c, FROM, FROM + COUNT);
        }
        assertThat(report.customers()).isEqualTo(COUNT);
        assertThat(report.blockingKeys()).isGreaterThan(COUNT * 5L);

        int k = FROM + 17;
        long id = Preload.ID_BASE + k;
        PersonFacts person = Preload.person(k);
        assertThat(jdbc.queryForList("select key from blocking_keys where customer_id = ?", String.class, id))
                .containsExactlyInAnyOrderElementsOf(BlockingKeys.of(PersonAttributes.fromAttributes("any",
                        person.attributes(), "preload", "US")));
        assertThat(customerByKey("email", person.get("email"))).contains(id);
        assertThat(customerByKey("phone", person.get("phone"))).contains(id);
        assertThat(jdbc.queryForObject("select count(*) from observations where customer_id = ? and touchpoint_id = ?",
                Long.class, id, id)).isEqualTo(person.attributes().size());
        assertThat(jdbc.queryForObject("select golden->'last_name'->>'v' from customers where id = ?", String.class, id))
                .isEqualTo(person.get("last_name"));
        // the touchpoint's match record, as the live path writes it: the resolver reads candidates from it
        assertThat(jdbc.queryForObject("select match = ?::jsonb from touchpoints where id = ?", Boolean.class,
                PersonAttributes.matchRecord(person.attributes(), "preload"), id)).isTrue();

        var population = new LoadGenerator.Population(10, Preload.SEED, TestSecrets.STRIPE, 0, 0, 0, 0);
        // an exact repeat (request 0 goes through Typeform): found by its e-mail, the preloaded customer
        post(population.request(LoadGenerator.Population.exact(People.person(Preload.SEED, k)), "pit", 0,
                TestSecrets.TYPEFORM, TestSecrets.WEBFORM));
        assertThat(decision("typeform:load-pit-0")).containsEntry("decision", "DETERMINISTIC").containsEntry("customer_id", id);

        // a fuzzy variant (request 1 goes through the web form): no key in common, so scored against the preloaded
        // customer its blocking keys find
        int k2 = FROM + 42;
        post(population.request(LoadGenerator.Population.variant(People.person(Preload.SEED, k2), "pit", 1,
                new SplittableRandom(1)), "pit", 1, TestSecrets.TYPEFORM, TestSecrets.WEBFORM));
        Map<String, Object> fuzzy = decision("webform:load-pit-1");
        assertThat(fuzzy.get("decision")).isIn("MERGE", "REVIEW", "NO_MATCH");
        assertThat(fuzzy).containsEntry("candidate_id", Preload.ID_BASE + k2);
    }

    private void post(LoadGenerator.Population.Prepared request) {
        Map<String, String> headers = request.signatureHeader == null ? Map.of() : Map.of(request.signatureHeader, request.signature());
        assertThat(hooks.post(request.pathAndQuery, request.contentType, request.body, headers).statusCode()).isEqualTo(202);
    }

    private Map<String, Object> decision(String recordKey) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !decisions(recordKey).isEmpty());
        return decisions(recordKey).get(0);
    }

    private List<Map<String, Object>> decisions(String recordKey) {
        return jdbc.queryForList("select decision, customer_id, candidate_id from match_decisions where record_key like ? "
                + "and decision <> 'LINK_MERGE' order by id", recordKey + "%");
    }
}
