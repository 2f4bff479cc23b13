package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/** Probabilistic matching, review, merge and unmerge end to end: web form posts on the hub's port, the admin API. */
class IdentityIntegrationTests extends HubIntegrationTest {

    private void form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        var response = hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(response.statusCode()).isEqualTo(202);
    }

    private static Map<String, String> with(Map<String, String> fields, String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(fields);
        m.put(name, value);
        return m;
    }

    private static Map<String, String> person(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private List<Long> customersNamed(String lastName) {
        return jdbc.queryForList("select id from customers where merged_into is null and golden->'last_name'->>'v' = ? order by id",
                Long.class, lastName);
    }

    private JsonNode reviewBetween(String lastName) {
        for (JsonNode r : admin.get("/admin/review").path("reviews")) {
            if (lastName.equals(r.path("customer").path("last_name").asText())
                    && lastName.equals(r.path("candidate").path("last_name").asText())) {
                return r;
            }
        }
        return null;
    }

    @Test // #6
    void billSmithOnAFormAndWilliamSmithWithTheSamePhoneBecomeOneCustomerWithTheExplanationStored() {
        // given a form from Bill and a second event from William with the same (landline) phone and company
        form(person("first_name", "Bill", "last_name", "Smith", "email", "bill@gmail.com", "phone", "+44 20 7946 0991",
                "company", "Acme Ltd"));
        form(person("first_name", "William", "last_name", "Smith", "phone", "+44 20 7946 0991", "company", "ACME"));
        // when
        awaitIdle();
        // then
        JsonNode found = admin.get("/admin/customers?phone=%2B442079460991").path("customers");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("touchpoints").asInt()).isEqualTo(2);
        JsonNode detail = admin.get("/admin/customers/" + found.get(0).path("id").asLong());
        List<String> decisions = new ArrayList<>();
        detail.path("matchDecisions").forEach(d -> decisions.add(d.path("decision").asText()));
        assertThat(decisions).contains("MERGE");
        JsonNode merge = null;
        for (JsonNode d : detail.path("matchDecisions")) {
            if ("MERGE".equals(d.path("decision").asText())) {
                merge = d;
            }
        }
        assertThat(merge.path("probability").asDouble()).isGreaterThanOrEqualTo(0.99);
        assertThat(merge.path("explanation").path("comparisons").toString())
                .contains("FIRST_NAME").contains("nickname").contains("PHONE");
        assertThat(detail.path("merges")).hasSize(1);
    }

    @Test // #6
    void aReviewBandPairIsListedForReviewAndAcceptMergesIt() {
        // given two records with the same uncommon name and nothing else in common
        form(person("first_name", "Jonas", "last_name", "Baxendale", "email", "jonas.baxendale@example.org"));
        form(person("first_name", "Jonas", "last_name", "Baxendale", "country", "GB"));
        awaitIdle();
        assertThat(customersNamed("baxendale").size() + customersNamed("Baxendale").size()).isEqualTo(2);
        // when
        JsonNode review = reviewBetween(lastNameAsStored("Baxendale"));
        assertThat(review).isNotNull();
        assertThat(review.path("probability").asDouble()).isBetween(0.80, 0.99);
        JsonNode answer = admin.post("/admin/review/" + review.path("id").asLong(), "{\"decision\":\"accept\"}");
        // then
        assertThat(answer.path("outcome").asText()).isEqualTo("merged");
        assertThat(customersNamed(lastNameAsStored("Baxendale"))).hasSize(1);
        assertThat(reviewBetween(lastNameAsStored("Baxendale"))).isNull();
    }

    @Autowired
    private MergeLedger ledger;

    @Autowired
    private TransactionTemplate tx;

    @Test // #7
    void aMergeClosesTheOpenReviewOfItsPairInEitherOrderAndNoOther() {
        // given open reviews of (a, b) and of (c, a)
        long a = jdbc.queryForObject("insert into customers default values returning id", Long.class);
        long b = jdbc.queryForObject("insert into customers default values returning id", Long.class);
        long c = jdbc.queryForObject("insert into customers default values returning id", Long.class);
        tx.executeWithoutResult(s -> {
            ledger.linkForReview(a, b, 0.9, "{}");
            ledger.linkForReview(c, a, 0.9, "{}");
        });
        // when a is merged into b (the pair named the other way round)
        tx.executeWithoutResult(s -> ledger.merge(b, a, "test", "{}"));
        // then the review of that pair is obsolete, and the other stays open for a person
        assertThat(reviewStatus(a, b)).isEqualTo("obsolete");
        assertThat(reviewStatus(c, a)).isEqualTo("open");
    }

    private String reviewStatus(long customer, long candidate) {
        return jdbc.queryForObject("select status from possible_duplicates where customer_id = ? and candidate_id = ?",
                String.class, customer, candidate);
    }

    @Test // #6
    void unmergeSplitsAMergedCustomerBackAndMarksBothForDelivery() {
        // given Liz and Elizabeth Harrowgate merged on name, phone and company
        form(person("first_name", "Liz", "last_name", "Harrowgate", "email", "liz.h@gmail.com", "phone", "+44 20 7946 0222",
                "company", "Globex"));
        awaitIdle();
        form(person("first_name", "Elizabeth", "last_name", "Harrowgate", "phone", "+44 20 7946 0222", "company", "Globex Ltd"));
        awaitIdle();
        List<Long> merged = customersNamed(lastNameAsStored("Harrowgate"));
        assertThat(merged).hasSize(1);
        long survivor = merged.get(0);
        // when
        JsonNode answer = admin.post("/admin/customers/" + survivor + "/unmerge", null);
        // then
        assertThat(answer.path("restored")).hasSize(1);
        long restored = answer.path("restored").get(0).asLong();
        assertThat(customersNamed(lastNameAsStored("Harrowgate"))).containsExactlyInAnyOrder(survivor, restored);
        assertThat(admin.get("/admin/customers/" + survivor).path("golden").path("first_name").path("v").asText()).isEqualTo("Liz");
        assertThat(admin.get("/admin/customers/" + restored).path("golden").path("first_name").path("v").asText()).isEqualTo("Elizabeth");
        assertThat(admin.get("/admin/customers/" + restored).path("timeline")).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from outbox where customer_id in (?, ?)", Long.class, survivor, restored))
                .isEqualTo(2);
        // and the pair is not merged again by the next event of either
        form(person("first_name", "Elizabeth", "last_name", "Harrowgate", "phone", "+44 20 7946 0222", "email", "liz.h@gmail.com"));
        awaitIdle();
        assertThat(customersNamed(lastNameAsStored("Harrowgate"))).hasSize(2);
    }

    @Test // #6
    void aTouchpointThatReachedAWrongMergeGoesBackWithTheCustomerWhoseKeyItCarries() {
        // given a review-band pair (one known by e-mail, one by mobile) that a person wrongly accepted
        form(person("first_name", "Marta", "last_name", "Quistorp", "email", "marta.quistorp@example.org"));
        form(person("first_name", "Marta", "last_name", "Quistorp", "phone", "+44 7911 123456"));
        awaitIdle();
        await().atMost(Duration.ofSeconds(10)).until(() -> reviewBetween(lastNameAsStored("Quistorp")) != null);
        JsonNode review = reviewBetween(lastNameAsStored("Quistorp"));
        assertThat(admin.post("/admin/review/" + review.path("id").asLong(), "{\"decision\":\"accept\"}").path("outcome").asText())
                .isEqualTo("merged");
        // and the mobile's owner came back after the merge, with a new e-mail, which the merged customer received
        form(person("first_name", "Marta", "last_name", "Quistorp", "phone", "+44 7911 123456", "email", "mq@example.net"));
        awaitIdle();
        List<Long> merged = customersNamed(lastNameAsStored("Quistorp"));
        assertThat(merged).hasSize(1);
        // when the merge is undone
        JsonNode answer = admin.post("/admin/customers/" + merged.get(0) + "/unmerge", null);
        assertThat(answer.path("restored")).hasSize(1);
        // then the later touchpoint and the e-mail it brought are with the mobile's owner, not with the other Marta
        long mobileOwner = customerByKey("phone", "+447911123456").orElseThrow();
        long other = customerByKey("email", "marta.quistorp@example.org").orElseThrow();
        assertThat(mobileOwner).isNotEqualTo(other);
        assertThat(customerByKey("email", "mq@example.net")).contains(mobileOwner);
        assertThat(timeline(mobileOwner)).hasSize(2);
        assertThat(timeline(other)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from observations where customer_id = ? and value = 'mq@example.net'",
                Long.class, mobileOwner)).isEqualTo(1);
    }

    @Test // #6
    void aRejectedPairIsNotMergedAgainEvenWhenAnEventLinksTheirKeys() {
        // given a review-band pair that a person rejected
        form(person("first_name", "Jon", "last_name", "Quennell", "email", "jon.quennell@example.net"));
        form(person("first_name", "Jon", "last_name", "Quennell", "phone", "+44 20 7946 0555"));
        awaitIdle();
        await().atMost(Duration.ofSeconds(10)).until(() -> reviewBetween(lastNameAsStored("Quennell")) != null);
        JsonNode review = reviewBetween(lastNameAsStored("Quennell"));
        assertThat(admin.post("/admin/review/" + review.path("id").asLong(), "{\"decision\":\"reject\"}").path("outcome").asText())
                .isEqualTo("kept_apart");
        // when an event carries the e-mail of one and the phone of the other (strong evidence otherwise)
        form(person("first_name", "Jon", "last_name", "Quennell", "email", "jon.quennell@example.net", "phone", "+44 20 7946 0555"));
        awaitIdle();
        // then
        assertThat(customersNamed(lastNameAsStored("Quennell"))).hasSize(2);
        assertThat(reviewBetween(lastNameAsStored("Quennell"))).isNull();
    }

    @org.springframework.beans.factory.annotation.Autowired
    private IdentityResolver resolver;

    @Test // #6
    void aKnownPersonsNewRecordStillLinksTheCustomerItMatchesAtMergeLevel() {
        // given a nameless-key record (no e-mail, no phone) and, apart from it, the same person with her e-mail
        form(person("first_name", "Marguerite", "last_name", "Okonkwo-Baines", "company", "Tidewater Shipping",
                "phone", "+44 20 7946 0444"));
        awaitIdle();
        form(person("first_name", "Marguerite", "last_name", "Okonkwo-Baines", "email", "marguerite.ob@gmail.com"));
        awaitIdle();
        long withEmail = awaitCustomer("email", "marguerite.ob@gmail.com");
        // when she comes back by e-mail, now with her company and a new mobile: found by e-mail, and new evidence
        form(person("first_name", "Marguerite", "last_name", "Okonkwo-Baines", "email", "marguerite.ob@gmail.com",
                "company", "Tidewater Shipping"));
        awaitIdle();
        // then
        List<Long> current = jdbc.queryForList("select id from customers where merged_into is null "
                + "and golden->'last_name'->>'v' = ?", Long.class, lastNameAsStored("Okonkwo-Baines"));
        assertThat(current).containsExactly(withEmail);
        assertThat(jdbc.queryForList("select decision from match_decisions where customer_id = ? order by id", String.class,
                withEmail)).contains("DETERMINISTIC", "LINK_MERGE");
    }

    @Test // #7
    void aRepeatOfAKnownRecordSkipsScoringButANewValueIsScored() {
        // given a customer known from one form
        Map<String, String> known = person("first_name", "Ottilie", "last_name", "Fairweather", "email",
                "ottilie.fairweather@example.org", "company", "Brackenbury");
        form(with(known, "submission_id", "fw-1"));
        awaitIdle();
        long before = resolver.repeats();
        // when the same form comes again (another submission)
        form(with(known, "submission_id", "fw-2"));
        awaitIdle();
        // then it joins the customer without scoring the blocks again
        assertThat(resolver.repeats()).isEqualTo(before + 1);
        long customer = awaitCustomer("email", "ottilie.fairweather@example.org");
        assertThat(timeline(customer)).hasSize(2);
        // when she sends a new value (a phone), the record is scored as before
        form(with(with(known, "phone", "+44 20 7946 0888"), "submission_id", "fw-3"));
        awaitIdle();
        assertThat(resolver.repeats()).isEqualTo(before + 1);
        assertThat(timeline(customer)).hasSize(3);
        assertThat(jdbc.queryForObject("select count(*) from customers where merged_into is null "
                + "and golden->'last_name'->>'v' = ?", Long.class, lastNameAsStored("Fairweather"))).isEqualTo(1);
    }

    @Test // #6
    void aCrowdSharingOneKeyWithTheRecordDoesNotCrowdOutItsTrueMatch() {
        // given 60 colleagues at Hollowmere (its company keys are then too common to block on), 30 Quistorps there
        // (sharing only the family name with the company), and last the one Annika Quistorp
        String[] given = {"Oskar", "Pernilla", "Mattias", "Sunniva", "Torbjorn", "Wenche", "Arvid", "Hjordis", "Leif",
            "Maren", "Rasmus", "Solveig"};
        String[] family = {"Lindqvist", "Haugland", "Brekke", "Sandvik", "Mortensen"};
        for (int i = 0; i < 60; i++) {
            form(person("first_name", given[i % 12], "last_name", family[i / 12], "email", "staff" + i + "@hollowmere.example",
                    "company", "Hollowmere"));
        }
        String[] firsts = {"Bertil", "Cecilia", "Dagny", "Einar", "Frida", "Gunnar", "Hedda", "Ivar", "Jorunn", "Kjell",
            "Linnea", "Magnus", "Nils", "Oda", "Per", "Ragnhild", "Sigurd", "Tove", "Ulf", "Vibeke", "Yngve", "Aslaug",
            "Borghild", "Dag", "Eirik", "Gro", "Halvard", "Ingrid", "Jostein", "Kari"};
        for (String first : firsts) {
            form(person("first_name", first, "last_name", "Quistorp", "email", first.toLowerCase() + ".q@hollowmere.example",
                    "company", "Hollowmere"));
        }
        form(person("first_name", "Annika", "last_name", "Quistorp", "email", "annika.q@hollowmere.example",
                "phone", "+44 20 7946 0777", "company", "Hollowmere"));
        awaitIdle();
        long annika = jdbc.queryForObject("select customer_id from identity_keys where kind = 'email' "
                + "and value = 'annika.q@hollowmere.example'", Long.class);
        // when Annika comes back with another address
        form(person("first_name", "Annika", "last_name", "Quistorp", "email", "a.quistorp@gmail.com", "company", "HOLLOWMERE"));
        awaitIdle();
        // then of the 31 customers her keys find, she is among those scored, and the best
        Map<String, Object> decision = jdbc.queryForMap("select candidate_id, decision from match_decisions order by id desc limit 1");
        assertThat(decision.get("candidate_id")).isEqualTo(annika);
        assertThat((String) decision.get("decision")).isIn("MERGE", "REVIEW");
    }

    /** The golden record keeps the display value; this reads how the hub stored the name. */
    private String lastNameAsStored(String name) {
        List<String> stored = jdbc.queryForList("select distinct golden->'last_name'->>'v' from customers "
                + "where lower(golden->'last_name'->>'v') = lower(?)", String.class, name);
        return stored.isEmpty() ? name : stored.get(0);
    }
}
