package org.touchpointhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/**
 * Concurrency through the real wire: many clients, many consumers, one database. None lost, none doubled, and
 * one person stays one customer however their events interleave.
 */
class ConcurrentIngestIntegrationTests extends HubIntegrationTest {

    private List<Integer> postAll(List<String> bodies, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM,
                        "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8), Map.of()).statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    @Test // #3
    void thousandEventsForThousandPeopleFromSixteenClientsGiveThousandCustomers() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bodies.add("submission_id=many-" + i + "&email=many.person" + i + "%40example.com&first_name=P" + i);
        }

        List<Integer> statuses = postAll(bodies, 16);
        awaitIdle();

        assertThat(statuses).containsOnly(202);
        assertThat(jdbc.queryForObject("select count(distinct customer_id) from identity_keys where kind = 'email' "
                + "and value like 'many.person%@example.com'", Long.class)).isEqualTo(1000);
        assertThat(jdbc.queryForObject("select count(*) from touchpoints where event_id like 'many-%'", Long.class)).isEqualTo(1000);
    }

    @Test // #3
    void twoHundredEventsForOnePersonFromSixteenClientsGiveOneCustomerWithTwoHundredTouchpoints() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // every event carries the phone (written two ways); four in five also the email (in two cases). Events
            // without an email fall in other message groups, so they race the others on the phone key: only the
            // advisory locks keep them on one customer.
            String email = i % 3 == 0 ? "One.Person%40Example.com" : "one.person%40example.com";
            String phone = i % 2 == 0 ? "%2B1+212+555+0199" : "(212)+555-0199";
            bodies.add("submission_id=one-" + i + (i % 5 == 4 ? "" : "&email=" + email) + "&phone=" + phone);
        }

        List<Integer> statuses = postAll(bodies, 16);
        awaitIdle();

        assertThat(statuses).containsOnly(202);
        var found = admin.customersByEmail("one.person@example.com");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("touchpoints").asInt()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(distinct customer_id) from touchpoints where event_id like 'one-%'", Long.class))
                .isEqualTo(1);
    }
}
