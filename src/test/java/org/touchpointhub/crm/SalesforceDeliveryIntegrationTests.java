package org.touchpointhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.touchpointhub.bench.SalesforceDouble;

/** Webhooks in through the hub's HTTP port, records out to the Salesforce double through camel-salesforce. */
class SalesforceDeliveryIntegrationTests extends SalesforceDeliveryIntegrationTest {

    @Autowired
    MeterRegistry meters;

    @Test // #4
    void typeformWebhookGivesOneAccountOneContactAndOneTaskWithFieldsMapped() {
        // given: the Typeform sample from a work address, so the Account is keyed by the e-mail's domain
        String email = "laura@northwind-tf.test";

        // when
        int status = typeform("tf-deliver-1", email);
        await().atMost(Duration.ofSeconds(20)).until(() -> undelivered(email) == 0 && outboxDepth() == 0
                && !contactsWithEmail(email).isEmpty());

        // then
        assertThat(status).isEqualTo(202);
        long customer = customerId(email);
        Map<String, Object> account = salesforce.find("Account", "Hub_Account_Id__c", "northwind-tf.test");
        Map<String, Object> contact = salesforce.find("Contact", "Hub_Customer_Id__c", String.valueOf(customer));
        assertThat(account).contains(entry("Name", "northwind-tf.test"));
        assertThat(contact).contains(entry("Email", email), entry("LastName", "laura"), entry("LeadSource", "Typeform"),
                entry("AccountId", account.get("Id")));
        assertThat(contact.values()).doesNotContainNull();
        assertThat(tasksOf(List.of(contact))).singleElement().satisfies(task -> assertThat(task)
                .contains(entry("Subject", "Form submitted (typeform)"), entry("Status", "Completed"),
                        entry("ActivityDate", "2018-01-18"), entry("Type", "Other"))
                .hasEntrySatisfying("Description", d -> assertThat((String) d).startsWith("Webhooks example")));
        JsonNode shown = admin.get("/admin/customers/" + customer);
        assertThat(shown.path("crmIds").path("Contact").asText()).isEqualTo(contact.get("Id"));
        assertThat(shown.path("crmIds").path("Account").asText()).isEqualTo(account.get("Id"));
        assertThat(shown.path("timeline")).singleElement()
                .satisfies(t -> assertThat(t.path("deliveredAt").isNull()).isFalse());
    }

    @Test // #4
    void onePersonThroughThreeEventsIsOneContactWithThreeTasks() {
        // given
        String email = "three.events@initrode-3.test";

        // when
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            statuses.add(webform("three-" + i, email, "Tess", "Three", "Initrode"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> undelivered(email) == 0 && outboxDepth() == 0
                && !contactsWithEmail(email).isEmpty());

        // then
        assertThat(statuses).containsOnly(202);
        List<Map<String, Object>> contacts = contactsWithEmail(email);
        assertThat(contacts).singleElement().satisfies(c -> assertThat(c).contains(entry("FirstName", "Tess"),
                entry("LastName", "Three"), entry("Title", "Buyer"), entry("MailingCountry", "DE")));
        assertThat(tasksOf(contacts)).hasSize(3);
        assertThat(salesforce.find("Account", "Hub_Account_Id__c", "initrode-3.test")).containsEntry("Name", "Initrode");
    }

    @Test // #4
    void thousandTouchpointsOfThousandPeopleTakeAtMostFifteenApiCalls() {
        // given: a warmed-up hub (cold JIT makes the first batches small), then a fresh count
        List<Callable<Integer>> warmUp = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            warmUp.add(() -> webform("warm-" + n, "warm" + n + ".person@globex-w.test", "Wim", "Warm" + n, "Globex"));
        }
        postAll(warmUp);
        await().atMost(Duration.ofSeconds(30)).until(() -> contactsWithEmail("warm").size() >= 300 && outboxDepth() == 0);
        int callsBefore = salesforce.apiCalls();
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            // the warm-up's company: its Account is written already and not sent again
            posts.add(() -> webform("k-" + n, "k" + n + ".person@globex-w.test", "Kim", "Person" + n, "Globex"));
        }

        // when
        List<Integer> statuses = postAll(posts);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> contactsWithEmail("k").size() >= 1000 && outboxDepth() == 0);

        // then
        int calls = salesforce.apiCalls() - callsBefore;
        System.out.printf("1000 people x 1 touchpoint: %d Salesforce API calls (%.1f records per call)%n", calls,
                2001.0 / calls);
        assertThat(statuses).hasSize(1000).containsOnly(202);
        assertThat(contactsWithEmail("k")).hasSize(1000);
        assertThat(tasksOf(contactsWithEmail("k"))).hasSize(1000);
        assertThat(undelivered("k")).isZero();
        assertThat(calls).isLessThanOrEqualTo(15);
    }

    @Test // #4
    void twoHundredFiftyPeopleWithFourTouchpointsEachAreCoalesced() {
        // given: four rounds, each one event of every person, so changes of one person arrive spread out
        int callsBefore = salesforce.apiCalls();
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 250; i++) {
                int n = i;
                int r = round;
                posts.add(() -> webform("q-" + r + "-" + n, "q" + n + ".person@hooli-q.test", "Quinn", "Person" + n, "Hooli"));
            }
        }

        // when
        List<Integer> statuses = postAll(posts);
        awaitIdle();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> undelivered("q") == 0 && outboxDepth() == 0);

        // then
        int calls = salesforce.apiCalls() - callsBefore;
        System.out.printf("250 people x 4 touchpoints: %d Salesforce API calls%n", calls);
        assertThat(statuses).hasSize(1000).containsOnly(202);
        assertThat(contactsWithEmail("q")).hasSize(250);
        assertThat(tasksOf(contactsWithEmail("q"))).hasSize(1000);
        assertThat(calls).isLessThanOrEqualTo(25);
    }

    @Test // #4
    void outageOf503WhileFiveHundredEventsArriveDeliversAllAfterRecovery() {
        outageWhileFiveHundredEventsArrive("o503", () -> salesforce.failWith(503), "HTTP 503");
    }

    @Test // #4
    void dailyLimitOf403WhileFiveHundredEventsArriveDeliversAllAfterRecovery() {
        outageWhileFiveHundredEventsArrive("o403", salesforce::limitExceeded, "REQUEST_LIMIT_EXCEEDED");
    }

    private void outageWhileFiveHundredEventsArrive(String prefix, Runnable outage, String shownError) {
        // given
        double refusedBefore = unavailableCalls();
        outage.run();

        // when
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int n = i;
            posts.add(() -> webform(prefix + "-" + n, prefix + n + ".person@umbrella-" + prefix + ".test", "Uma",
                    "Person" + n, null));
        }
        List<Integer> statuses = postAll(posts);
        awaitIdle();
        await().atMost(Duration.ofSeconds(20)).until(() -> unavailableCalls() >= refusedBefore + 2);
        long waiting = outboxDepth();
        JsonNode healthDuringOutage = admin.get("/actuator/health").path("components").path("crm");
        salesforce.recover();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> contactsWithEmail(prefix).size() >= 500 && outboxDepth() == 0);

        // then
        assertThat(statuses).hasSize(500).containsOnly(202);
        assertThat(waiting).as("customers kept in the outbox during the outage").isEqualTo(500);
        assertThat(contactsWithEmail(prefix)).hasSize(500);
        assertThat(tasksOf(contactsWithEmail(prefix))).hasSize(500);
        assertThat(undelivered(prefix)).isZero();
        assertThat(deadLettersFor(prefix)).isZero();
        assertThat(healthDuringOutage.path("status").asText()).isEqualTo("DOWN");
        assertThat(healthDuringOutage.path("details").path("lastError").asText()).contains(shownError)
                .doesNotContain(SalesforceDouble.PASSWORD, SalesforceDouble.CLIENT_SECRET);
        assertThat(admin.get("/actuator/health").path("components").path("crm").path("status").asText()).isEqualTo("UP");
    }

    @Test // #4
    void deliveryRestsAtTheMaximumShareOfTheDailyAllocationAndResumesWhenItFrees() {
        // given: 85 % of the daily allocation used, above the default maximum of 80 %
        salesforce.allocation(1000, 850);
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            posts.add(() -> webform("lim-" + n, "lim" + n + ".person@acme-lim.test", "Lia", "Limit" + n, "Acme"));
        }

        // when
        postAll(posts);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> admin.get("/actuator/health")
                .path("components").path("crm").path("details").path("pauseReason").asText().contains("API usage"));
        int callsWhileRestricted = salesforce.apiCalls();

        // then: at most one probing call per usage pause (500 ms in tests) while the allocation stays short
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> salesforce.apiCalls() <= callsWhileRestricted + 1);
        assertThat(outboxDepth()).isPositive();

        // when: the allocation frees
        salesforce.allocation(1_000_000, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> contactsWithEmail("lim").size() >= 300 && outboxDepth() == 0);

        // then
        assertThat(tasksOf(contactsWithEmail("lim"))).hasSize(300);
        assertThat(deadLettersFor("lim")).isZero();
    }

    @Test // #4
    void sessionExpiredMidRunLogsInAgainAndLosesNothing() {
        // given
        int loginsBefore = salesforce.logins();
        List<Callable<Integer>> first = new ArrayList<>();
        List<Callable<Integer>> second = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            first.add(() -> webform("exp-a-" + n, "exp" + n + ".a@stark-exp.test", "Ed", "Expired" + n, null));
            second.add(() -> webform("exp-b-" + n, "exp" + n + ".b@stark-exp.test", "Ed", "Expired" + n, null));
        }
        postAll(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> contactsWithEmail("exp").size() >= 100);

        // when
        salesforce.expireSessions();
        postAll(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> contactsWithEmail("exp").size() >= 200 && outboxDepth() == 0);

        // then
        assertThat(salesforce.logins()).isGreaterThan(loginsBefore);
        assertThat(contactsWithEmail("exp")).hasSize(200);
        assertThat(tasksOf(contactsWithEmail("exp"))).hasSize(200);
        assertThat(undelivered("exp")).isZero();
        assertThat(deadLettersFor("exp")).isZero();
    }

    @Test // #4
    void refusedRecordBecomesOneDeadLetterWithTheCrmErrorAndReplayDeliversIt() {
        // given
        String refused = "dup.refused@wayne-dup.test";
        salesforce.rejectWhere("Contact", "Email", refused, "DUPLICATES_DETECTED",
                "Use one of these records?");
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            posts.add(() -> webform("dup-" + n, "dup" + n + ".ok@wayne-dup.test", "Di", "Dup" + n, null));
        }
        posts.add(() -> webform("dup-refused", refused, "Rita", "Refused", null));

        // when
        postAll(posts);
        await().atMost(Duration.ofSeconds(20)).until(() -> contactsWithEmail("dup").size() >= 5 && outboxDepth() == 0);

        // then: only that record is a dead letter, with Salesforce's code and message; its Task waits for the person
        long customer = customerId(refused);
        List<Map<String, Object>> letters = jdbc.queryForList("select id, customer_id, crm_object, crm_code, crm_message, "
                + "status from dead_letters where stage = 'deliver' and customer_id in (select customer_id from "
                + "identity_keys where kind = 'email' and value like 'dup%')");
        assertThat(letters).singleElement().satisfies(letter -> assertThat(letter)
                .contains(entry("customer_id", customer), entry("crm_object", "Contact"),
                        entry("crm_code", "DUPLICATES_DETECTED"), entry("crm_message", "Use one of these records?"),
                        entry("status", "open")));
        assertThat(contactsWithEmail("dup")).hasSize(5).noneMatch(c -> refused.equals(c.get("Email")));
        assertThat(tasksOf(contactsWithEmail("dup"))).hasSize(5);
        assertThat(undelivered(refused)).isEqualTo(1);

        // when: the duplicate rule is lifted and the dead letter replayed
        salesforce.recover();
        JsonNode replay = admin.post("/admin/dead-letters/" + letters.get(0).get("id") + "/replay", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !contactsWithEmail(refused).isEmpty() && undelivered(refused) == 0);

        // then
        assertThat(replay.path("status").asText()).isEqualTo("replayed");
        assertThat(tasksOf(contactsWithEmail(refused))).hasSize(1);
        assertThat(admin.get("/admin/customers/" + customer).path("crmIds").path("Contact").asText())
                .isEqualTo(contactsWithEmail(refused).get(0).get("Id"));
    }

    @Test // #4
    void recordLockedOnceIsSentAgainAndNotDeadLettered() {
        // given
        String email = "locked.once@cyberdyne-lock.test";
        salesforce.lockRowOnce("Contact", "Email", email);

        // when
        webform("lock-1", email, "Lou", "Locked", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !contactsWithEmail(email).isEmpty()
                && undelivered(email) == 0 && outboxDepth() == 0);

        // then
        assertThat(meters.get("hub.crm.records").tag("object", "Contact").tag("outcome", "retried").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(tasksOf(contactsWithEmail(email))).hasSize(1);
        assertThat(deadLettersFor("locked.once")).isZero();
    }

    @Test // #7
    void aRunWithAnAccountAContactAndATaskIsOneCompositeApiCall() {
        // given
        String email = "one.call@vandelay-one.test";
        int callsBefore = salesforce.apiCalls();
        int compositeBefore = salesforce.compositeCalls();

        // when
        int status = webform("one-call-1", email, "Oona", "Call", "Vandelay");
        await().atMost(Duration.ofSeconds(20)).until(() -> undelivered(email) == 0 && outboxDepth() == 0
                && !contactsWithEmail(email).isEmpty());

        // then
        assertThat(status).isEqualTo(202);
        Map<String, Object> account = salesforce.find("Account", "Hub_Account_Id__c", "vandelay-one.test");
        assertThat(account).containsEntry("Name", "Vandelay");
        assertThat(contactsWithEmail(email)).singleElement().satisfies(c -> assertThat(c).containsEntry("AccountId", account.get("Id")));
        assertThat(tasksOf(contactsWithEmail(email))).hasSize(1);
        assertThat(salesforce.apiCalls() - callsBefore).isEqualTo(1);
        assertThat(salesforce.compositeCalls() - compositeBefore).isEqualTo(1);
    }

    @Test // #7
    void aRefusedAccountIsTheOneDeadLetterItsContactAndTaskInTheSameCallWaitAndReplayDeliversThem() {
        // given
        String email = "acct.refused@refused-acct.test";
        salesforce.rejectWhere("Account", "Hub_Account_Id__c", "refused-acct.test", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                "Accounts need an owner");
        double heldBefore = held("Contact") + held("Task");
        int callsBefore = salesforce.apiCalls();

        // when
        webform("acct-refused-1", email, "Rhea", "Refused", "Refused Inc");
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLettersFor("acct.refused") == 1 && outboxDepth() == 0);

        // then: one call, one dead letter (the Account's), the Contact and Task sent with it are neither
        long customer = customerId(email);
        List<Map<String, Object>> letters = jdbc.queryForList("select id, crm_object, crm_code, crm_message from dead_letters "
                + "where stage = 'deliver' and customer_id = ?", customer);
        assertThat(letters).singleElement().satisfies(letter -> assertThat(letter).contains(entry("crm_object", "Account"),
                entry("crm_code", "FIELD_CUSTOM_VALIDATION_EXCEPTION"), entry("crm_message", "Accounts need an owner")));
        assertThat(salesforce.apiCalls() - callsBefore).isEqualTo(1);
        assertThat(contactsWithEmail(email)).isEmpty();
        assertThat(undelivered(email)).isEqualTo(1);
        assertThat(held("Contact") + held("Task") - heldBefore).isEqualTo(2);

        // when: the rule is lifted and the dead letter replayed
        salesforce.recover();
        admin.post("/admin/dead-letters/" + letters.get(0).get("id") + "/replay", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !contactsWithEmail(email).isEmpty() && undelivered(email) == 0);

        // then
        assertThat(salesforce.find("Account", "Hub_Account_Id__c", "refused-acct.test")).isNotNull();
        assertThat(tasksOf(contactsWithEmail(email))).hasSize(1);
        assertThat(deadLettersFor("acct.refused")).isEqualTo(1);
    }

    @Test // #7
    void aContactLockedInsideACompositeCallRetriesOnlyThatCustomer() {
        // given
        String locked = "lock.one@soylent-lock.test";
        String other = "lock.two@soylent-lock.test";
        salesforce.lockRowOnce("Contact", "Email", locked);
        double retriedBefore = meters.find("hub.crm.records").tag("object", "Contact").tag("outcome", "retried")
                .counters().stream().mapToDouble(c -> c.count()).sum();

        // when
        postAll(List.of(() -> webform("lock-one", locked, "Lo", "One", "Soylent"),
                () -> webform("lock-two", other, "Lo", "Two", "Soylent")));
        await().atMost(Duration.ofSeconds(20)).until(() -> undelivered("lock.") == 0 && outboxDepth() == 0
                && contactsWithEmail("lock.").size() == 2);

        // then: the locked customer went out again, the other one once
        assertThat(meters.get("hub.crm.records").tag("object", "Contact").tag("outcome", "retried").counter().count())
                .isGreaterThan(retriedBefore);
        String otherTask = (String) tasksOf(contactsWithEmail(other)).get(0).get("Hub_Touchpoint_Id__c");
        assertThat(salesforce.upserts("Task")).containsEntry(otherTask, 1);
        assertThat(salesforce.upserts("Contact")).containsEntry(String.valueOf(customerId(other)), 1);
        assertThat(tasksOf(contactsWithEmail(locked))).hasSize(1);
        assertThat(deadLettersFor("lock.")).isZero();
    }

    @Test // #7
    void anAccountSubrequestFailingAsAWholeIsSentAgainAloneAndNothingIsDeadLettered() {
        // given
        String email = "sub.failed@tyrell-sub.test";
        salesforce.failSubrequestOnce("Account", 500);
        int callsBefore = salesforce.apiCalls();

        // when
        webform("sub-failed-1", email, "Sue", "Failed", "Tyrell");
        await().atMost(Duration.ofSeconds(20)).until(() -> !contactsWithEmail(email).isEmpty() && undelivered(email) == 0
                && outboxDepth() == 0);

        // then: the composite call, the Account batch again alone, and the Contact and Task retried in one more call
        assertThat(salesforce.find("Account", "Hub_Account_Id__c", "tyrell-sub.test")).containsEntry("Name", "Tyrell");
        assertThat(tasksOf(contactsWithEmail(email))).hasSize(1);
        assertThat(deadLettersFor("sub.failed")).isZero();
        assertThat(salesforce.apiCalls() - callsBefore).isEqualTo(3);
    }

    private double held(String object) {
        return meters.find("hub.crm.records").tag("object", object).tag("outcome", "held").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private double unavailableCalls() {
        return meters.find("hub.crm.api.calls").tag("outcome", "unavailable").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
