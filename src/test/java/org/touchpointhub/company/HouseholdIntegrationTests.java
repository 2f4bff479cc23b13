package org.touchpointhub.company;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.pipeline.EventPipeline;
import org.touchpointhub.support.HubIntegrationTest;

/** Households: the same surname at the same address with another first name is a link for review, never a merge. */
class HouseholdIntegrationTests extends HubIntegrationTest {

    @Autowired
    EventPipeline pipeline;

    private long record(String key, String... pairs) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put(pairs[i], pairs[i + 1]);
        }
        Instant at = Instant.now();
        CanonicalTouchpoint tp = new CanonicalTouchpoint("household-test", key, "record_imported", "import", at, "",
                new PersonFacts(attributes, Map.of()), Map.of());
        pipeline.processMapped(new InboundEnvelope("household-test", key, "record", null, at, "application/json",
                key.getBytes(StandardCharsets.UTF_8)), List.of(tp), "household-test", 50);
        return jdbc.queryForObject("select coalesce(c.merged_into, c.id) from touchpoints t join customers c on c.id = t.customer_id "
                + "where t.touchpoint_key = ?", Long.class, "household-test:" + key);
    }

    @Test // #6
    void twoPeopleOfOneHouseholdAreLinkedForReviewAndNeverMerged() {
        // given John and Mary Thistlewaite at one address with one landline
        long john = record("h-john", "first_name", "John", "last_name", "Thistlewaite", "street", "14 Larkspur Lane",
                "postcode", "LS6 2QT", "city", "Leeds", "country", "GB", "phone", "+44 113 496 0123");

        // when Mary's record arrives
        long mary = record("h-mary", "first_name", "Mary", "last_name", "Thistlewaite", "street", "14 Larkspur Lane",
                "postcode", "LS6 2QT", "city", "Leeds", "country", "GB", "phone", "+44 113 496 0123");

        // then two customers, linked for review with the household evidence
        assertThat(mary).isNotEqualTo(john);
        assertThat(jdbc.queryForObject("select count(*) from merges where (survivor_id = ? and merged_id = ?) or "
                + "(survivor_id = ? and merged_id = ?)", Long.class, john, mary, mary, john)).isZero();
        List<String> links = jdbc.queryForList("select explanation::text from possible_duplicates where status = 'open' and "
                + "((customer_id = ? and candidate_id = ?) or (customer_id = ? and candidate_id = ?))", String.class,
                mary, john, john, mary);
        assertThat(links).singleElement().asString().contains("HOUSEHOLD");
    }
}
