package org.touchpointhub.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.touchpointhub.bench.SalesforceDouble;
import org.touchpointhub.crm.CrmRecord;
import org.touchpointhub.crm.CrmResult;
import org.touchpointhub.crm.CrmUnavailable;

/** The adapter against the Salesforce double through camel-salesforce and the real wire. */
class SalesforceAdapterIntegrationTests {

    private static final Instant AT = Instant.parse("2025-03-04T10:00:00Z");

    private final SalesforceRecords mapping = new SalesforceRecords(SalesforceSettings.defaults());
    private SalesforceDouble salesforce;
    private CamelContext camel;
    private SalesforceAdapter adapter;

    @BeforeEach
    void start() {
        salesforce = SalesforceDouble.start();
        camel = camelWith(SalesforceDouble.PASSWORD);
        adapter = new SalesforceAdapter(camel, camel.createProducerTemplate());
    }

    @AfterEach
    void stop() {
        camel.stop();
        salesforce.close();
    }

    private CamelContext camelWith(String password) {
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(salesforce.url());
        component.setClientId(SalesforceDouble.CLIENT_ID);
        component.setClientSecret(SalesforceDouble.CLIENT_SECRET);
        component.setUserName(SalesforceDouble.USER_NAME);
        component.setPassword(password);
        component.setLazyLogin(true);
        CamelContext context = new DefaultCamelContext();
        context.addComponent("salesforce", component);
        context.start();
        return context;
    }

    private static Map<String, Object> golden(String email, String company, String domain) {
        return Map.of("email", email, "first_name", "Ada", "last_name", email.substring(0, email.indexOf('@')),
                "company", company, "company_domain", domain, "country", "DE");
    }

    private static List<CrmRecord> contacts(SalesforceRecords mapping, int count) {
        List<CrmRecord> records = new ArrayList<>();
        // free mail: the hub derives no Account from it, so a Contact can be written alone
        for (int i = 0; i < count; i++) {
            records.add(mapping.person("cust-" + i, Map.of("email", "p" + i + "@gmail.com")));
        }
        return records;
    }

    @Test // #4
    void logsInLazilyAndWritesAccountsThenContactsThenTasks() {
        // given
        assertThat(salesforce.logins()).isZero();
        assertThat(adapter.loggedIn()).isFalse();
        Map<String, Object> ada = golden("ada@acme.com", "Acme GmbH", "acme.com");
        Map<String, Object> bob = golden("bob@initech.io", "Initech", "initech.io");

        // when
        List<CrmResult> accounts = adapter.upsert(List.of(mapping.account(ada).orElseThrow(),
                mapping.account(bob).orElseThrow()));
        List<CrmResult> people = adapter.upsert(List.of(mapping.person("cust-ada", ada), mapping.person("cust-bob", bob)));
        List<CrmResult> tasks = adapter.upsert(List.of(
                mapping.task("cust-ada", new TaskInput("tp-1", "form_submitted", "web", AT, "Demo please", "typeform")),
                mapping.task("cust-bob", new TaskInput("tp-2", "payment_succeeded", "web", AT, null, "stripe"))));

        // then
        assertThat(salesforce.logins()).isEqualTo(1);
        assertThat(adapter.loggedIn()).isTrue();
        assertThat(accounts).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)
                .extracting("created").isEqualTo(true));
        assertThat(people).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class));
        assertThat(tasks).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class));
        Map<String, Object> acme = salesforce.find("Account", "Hub_Account_Id__c", "acme.com");
        Map<String, Object> contact = salesforce.find("Contact", "Hub_Customer_Id__c", "cust-ada");
        Map<String, Object> task = salesforce.find("Task", "Hub_Touchpoint_Id__c", "tp-1");
        assertThat(acme).contains(entry("Name", "Acme GmbH"));
        assertThat(contact).contains(entry("LastName", "ada"), entry("Email", "ada@acme.com"),
                entry("AccountId", acme.get("Id")), entry("MailingCountry", "DE"));
        assertThat(((CrmResult.Written) people.get(0)).crmId()).isEqualTo(contact.get("Id"));
        assertThat(task).contains(entry("WhoId", contact.get("Id")), entry("Status", "Completed"),
                entry("Subject", "Form submitted (typeform)"), entry("ActivityDate", "2025-03-04"));
        assertThat(salesforce.records("Contact")).allSatisfy(r -> assertThat(r.values()).doesNotContainNull());
        assertThat(salesforce.apiCalls()).isEqualTo(3);
    }

    @Test // #4
    void upsertingAgainUpdatesInsteadOfCreating() {
        // given
        Map<String, Object> ada = golden("ada@acme.com", "Acme GmbH", "acme.com");
        adapter.upsert(List.of(mapping.account(ada).orElseThrow()));
        List<CrmResult> first = adapter.upsert(List.of(mapping.person("cust-ada", ada)));

        // when
        List<CrmResult> second = adapter.upsert(List.of(mapping.person("cust-ada",
                Map.of("last_name", "Lovelace", "company_domain", "acme.com"))));

        // then
        assertThat(second).containsExactly(new CrmResult.Written(((CrmResult.Written) first.get(0)).crmId(), false));
        assertThat(salesforce.records("Contact")).singleElement()
                .satisfies(c -> assertThat(c).contains(entry("LastName", "Lovelace"), entry("Email", "ada@acme.com")));
    }

    @Test // #4
    void duplicatesDetectedRefusesOneRecordWhileOthersAreWritten() {
        // given
        salesforce.rejectWhere("Contact", "Email", "p1@gmail.com", "DUPLICATES_DETECTED",
                "Use one of these records?");

        // when
        List<CrmResult> results = adapter.upsert(contacts(mapping, 3));

        // then
        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isInstanceOf(CrmResult.Written.class);
        assertThat(results.get(1)).isEqualTo(new CrmResult.Refused("DUPLICATES_DETECTED", "Use one of these records?", false));
        assertThat(results.get(2)).isInstanceOf(CrmResult.Written.class);
        assertThat(salesforce.records("Contact")).hasSize(2);
    }

    @Test // #4
    void unableToLockRowIsRefusedAsTransientAndSucceedsWhenSentAgain() {
        // given
        salesforce.lockRowOnce("Contact", "Hub_Customer_Id__c", "cust-0");

        // when
        List<CrmResult> first = adapter.upsert(contacts(mapping, 2));
        List<CrmResult> again = adapter.upsert(contacts(mapping, 1));

        // then
        assertThat(first.get(0)).isInstanceOfSatisfying(CrmResult.Refused.class, r -> {
            assertThat(r.code()).isEqualTo("UNABLE_TO_LOCK_ROW");
            assertThat(r.isTransient()).isTrue();
        });
        assertThat(first.get(1)).isInstanceOf(CrmResult.Written.class);
        assertThat(again.get(0)).isInstanceOf(CrmResult.Written.class);
    }

    @Test // #4
    void unknownReferencesAndMissingRequiredFieldsAreRefusedPerRecord() {
        // given
        CrmRecord orphanTask = mapping.task("nobody", new TaskInput("tp-9", "note", null, AT, null, null));
        CrmRecord noName = new CrmRecord("Account", "Hub_Account_Id__c", "blank.io", Map.of("Website", "blank.io"));

        // when
        List<CrmResult> tasks = adapter.upsert(List.of(orphanTask));
        List<CrmResult> accounts = adapter.upsert(List.of(noName));

        // then
        assertThat(tasks.get(0)).isInstanceOfSatisfying(CrmResult.Refused.class, r -> {
            assertThat(r.code()).isEqualTo("INVALID_FIELD");
            assertThat(r.message()).contains("Foreign key external ID: nobody not found");
            assertThat(r.isTransient()).isFalse();
        });
        assertThat(accounts.get(0)).extracting("code").isEqualTo("REQUIRED_FIELD_MISSING");
    }

    @Test // #4
    void expiredSessionMidRunLogsInAgainAndLosesNothing() {
        // given
        adapter.upsert(contacts(mapping, 2));
        salesforce.expireSessions();

        // when
        List<CrmResult> results = adapter.upsert(contacts(mapping, 5));

        // then
        assertThat(results).hasSize(5).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class));
        assertThat(salesforce.logins()).isEqualTo(2);
        assertThat(salesforce.records("Contact")).hasSize(5);
        assertThat(adapter.loggedIn()).isTrue();
    }

    @Test // #4
    void serviceUnavailableIsCrmUnavailableAndWritesNothing() {
        // given
        adapter.upsert(contacts(mapping, 1));
        salesforce.failWith(503);

        // when / then
        assertThatThrownBy(() -> adapter.upsert(contacts(mapping, 3)))
                .isInstanceOfSatisfying(CrmUnavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.codes()).containsExactly("SERVER_UNAVAILABLE");
                });
        assertThat(salesforce.records("Contact")).hasSize(1);
        assertThat(adapter.lastError()).contains("503");
        assertThat(adapter.loggedIn()).isTrue();
    }

    @Test // #4
    void outageForAPeriodPassesAndWritesResume() {
        // given
        salesforce.failWith(500, Duration.ofMillis(300));
        assertThatThrownBy(() -> adapter.upsert(contacts(mapping, 1))).isInstanceOf(CrmUnavailable.class);

        // when / then
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .ignoreException(CrmUnavailable.class).untilAsserted(() ->
                assertThat(adapter.upsert(contacts(mapping, 1))).singleElement().isInstanceOf(CrmResult.Written.class));
        assertThat(adapter.lastError()).isNull();
    }

    @Test // #4
    void requestLimitExceededIsCrmUnavailableAndWritesNothing() {
        // given
        salesforce.limitExceeded();

        // when / then
        assertThatThrownBy(() -> adapter.upsert(contacts(mapping, 3)))
                .isInstanceOfSatisfying(CrmUnavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.codes()).containsExactly("REQUEST_LIMIT_EXCEEDED");
                    assertThat(e.getMessage()).contains("TotalRequests Limit exceeded.");
                });
        assertThat(salesforce.records("Contact")).isEmpty();
    }

    @Test // #4
    void exhaustedDailyAllocationIsCrmUnavailable() {
        // given
        salesforce.allocation(100, 99);
        adapter.upsert(contacts(mapping, 1));

        // when / then
        assertThatThrownBy(() -> adapter.upsert(contacts(mapping, 1)))
                .isInstanceOfSatisfying(CrmUnavailable.class, e -> assertThat(e.codes()).contains("REQUEST_LIMIT_EXCEEDED"));
        assertThat(adapter.apiUsage()).isEqualTo(1.0);
    }

    @Test // #4
    void wrongPasswordStartsTheHubAndFailsCallsWithOneLogLine() {
        // given
        Logger log = (Logger) LoggerFactory.getLogger(SalesforceAdapter.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        CamelContext wrong = camelWith("wrong-password");
        SalesforceAdapter failing = new SalesforceAdapter(wrong, wrong.createProducerTemplate());
        try {
            // when / then
            assertThat(wrong.getStatus().isStarted()).isTrue();
            assertThatThrownBy(() -> failing.upsert(contacts(mapping, 1)))
                    .isInstanceOfSatisfying(CrmUnavailable.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("Salesforce login failed at " + salesforce.url()
                                + ": invalid_grant authentication failure");
                        assertThat(e.codes()).containsExactly("invalid_grant");
                        assertThat(e.status()).isEqualTo(400);
                    });
            assertThat(failing.loggedIn()).isFalse();
            assertThat(failing.lastError()).contains("invalid_grant authentication failure");
            assertThat(appender.list).singleElement().satisfies(event -> {
                assertThat(event.getFormattedMessage()).doesNotContain("\n").contains("Salesforce login failed at");
                assertThat(event.getThrowableProxy()).isNull();
            });
            assertThat(salesforce.apiCalls()).isZero();
        } finally {
            log.detachAppender(appender);
            wrong.stop();
        }
    }

    @Test // #4
    void unreachableSalesforceIsCrmUnavailableWithoutStatus() {
        // given
        String url = salesforce.url();
        salesforce.close();
        CamelContext offline = camelWith(SalesforceDouble.PASSWORD);
        SalesforceAdapter unreachable = new SalesforceAdapter(offline, offline.createProducerTemplate());
        try {
            // when / then
            assertThatThrownBy(() -> unreachable.upsert(contacts(mapping, 1)))
                    .isInstanceOfSatisfying(CrmUnavailable.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.getMessage()).startsWith("Salesforce login failed at " + url);
                    });
        } finally {
            offline.stop();
        }
    }

    @Test // #4
    void apiUsageIsReadFromSforceLimitInfo() {
        // given
        salesforce.allocation(1000, 249);
        assertThat(adapter.apiUsage()).isEqualTo(-1.0);

        // when
        adapter.upsert(contacts(mapping, 1));

        // then
        assertThat(adapter.apiUsage()).isEqualTo(0.25);
    }

    @Test // #4
    void twoHundredRecordsTakeOneApiCall() {
        // given
        List<CrmRecord> records = contacts(mapping, adapter.maxBatchSize());

        // when
        List<CrmResult> results = adapter.upsert(records);

        // then
        assertThat(adapter.maxBatchSize()).isEqualTo(200);
        assertThat(results).hasSize(200).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class));
        assertThat(salesforce.apiCalls()).isEqualTo(1);
        assertThat(salesforce.records("Contact")).hasSize(200);
    }
    private List<List<CrmRecord>> accountsContactsTasks(String prefix, int people) {
        List<CrmRecord> accounts = new ArrayList<>();
        List<CrmRecord> persons = new ArrayList<>();
        List<CrmRecord> tasks = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            Map<String, Object> golden = golden(prefix + i + "@" + prefix + i + ".io", "Company " + i, prefix + i + ".io");
            accounts.add(mapping.account(golden).orElseThrow());
            persons.add(mapping.person(prefix + "-cust-" + i, golden));
            tasks.add(mapping.task(prefix + "-cust-" + i, new TaskInput(prefix + "-tp-" + i, "form_submitted", "web", AT,
                    null, "typeform")));
        }
        return List.of(accounts, persons, tasks);
    }

    private ListAppender<ILoggingEvent> adapterLog() {
        Logger log = (Logger) LoggerFactory.getLogger(SalesforceAdapter.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        return appender;
    }

    private static void detach(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(SalesforceAdapter.class)).detachAppender(appender);
    }

    @Test // #7
    void accountsContactsAndTasksGoOutInOneCompositeCall() {
        // given
        List<List<CrmRecord>> batches = accountsContactsTasks("one", 3);

        // when
        List<List<CrmResult>> results = adapter.upsertAll(batches);

        // then
        assertThat(adapter.maxBatchesPerCall()).isEqualTo(5);
        assertThat(results).hasSize(3).allSatisfy(batch -> assertThat(batch).hasSize(3)
                .allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)));
        assertThat(salesforce.apiCalls()).isEqualTo(1);
        assertThat(salesforce.compositeCalls()).isEqualTo(1);
        Map<String, Object> account = salesforce.find("Account", "Hub_Account_Id__c", "one1.io");
        Map<String, Object> contact = salesforce.find("Contact", "Hub_Customer_Id__c", "one-cust-1");
        assertThat(contact).containsEntry("AccountId", account.get("Id"));
        assertThat(((CrmResult.Written) results.get(1).get(1)).crmId()).isEqualTo(contact.get("Id"));
        assertThat(salesforce.find("Task", "Hub_Touchpoint_Id__c", "one-tp-1")).containsEntry("WhoId", contact.get("Id"));
    }

    @Test // #7
    void refusedAndLockedRecordsInsideACompositeCallAreReadPerRecord() {
        // given
        salesforce.rejectWhere("Account", "Hub_Account_Id__c", "mix0.io", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "No test accounts");
        salesforce.lockRowOnce("Contact", "Hub_Customer_Id__c", "mix-cust-2");

        // when
        List<List<CrmResult>> results = adapter.upsertAll(accountsContactsTasks("mix", 3));

        // then: the refused Account's Contact fails on the missing reference; the locked Contact is transient
        assertThat(results.get(0).get(0)).isEqualTo(new CrmResult.Refused("FIELD_CUSTOM_VALIDATION_EXCEPTION",
                "No test accounts", false));
        assertThat(results.get(1).get(0)).extracting("code").isEqualTo("INVALID_FIELD");
        assertThat(results.get(1).get(1)).isInstanceOf(CrmResult.Written.class);
        assertThat(results.get(1).get(2)).isInstanceOfSatisfying(CrmResult.Refused.class, r -> {
            assertThat(r.code()).isEqualTo("UNABLE_TO_LOCK_ROW");
            assertThat(r.isTransient()).isTrue();
        });
        assertThat(results.get(2).get(1)).isInstanceOf(CrmResult.Written.class);
        assertThat(salesforce.apiCalls()).isEqualTo(1);
    }

    @Test // #7
    void sixBatchesTakeTwoCallsBecauseACompositeCallCarriesAtMostFiveCollections() {
        // given: six batches of one object each
        List<List<CrmRecord>> batches = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            List<CrmRecord> batch = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                batch.add(mapping.person("six-" + b + "-" + i, Map.of("email", "six" + b + "." + i + "@gmail.com")));
            }
            batches.add(batch);
        }

        // when
        List<List<CrmResult>> results = adapter.upsertAll(batches);

        // then
        assertThat(results).hasSize(6).allSatisfy(batch -> assertThat(batch).hasSize(3)
                .allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)));
        assertThat(salesforce.apiCalls()).isEqualTo(2);
        assertThat(salesforce.compositeCalls()).isEqualTo(1);
        assertThat(salesforce.records("Contact")).hasSize(18);
    }

    @Test // #7
    void theDoubleRefusesMoreThanFiveCollectionsOrTwentyFiveSubrequestsWithA400LikeSalesforce() {
        // given
        adapter.connect();
        String version = "/services/data/v" + org.apache.camel.component.salesforce.SalesforceEndpointConfig.DEFAULT_VERSION;
        String collection = "{\"method\":\"PATCH\",\"url\":\"" + version + "/composite/sobjects/Contact/Hub_Customer_Id__c\","
                + "\"referenceId\":\"r%d\",\"body\":{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
                + "\"LastName\":\"X\",\"Hub_Customer_Id__c\":\"x%d\"}]}}";
        String single = "{\"method\":\"PATCH\",\"url\":\"" + version + "/sobjects/Contact/Hub_Customer_Id__c/y%d\","
                + "\"referenceId\":\"s%d\",\"body\":{\"LastName\":\"Y\"}}";
        List<String> sixCollections = new ArrayList<>();
        List<String> twentySix = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            if (i < 6) {
                sixCollections.add(String.format(collection, i, i));
            }
            twentySix.add(String.format(single, i, i));
        }

        // when
        Exception six = composite(version, sixCollections);
        Exception many = composite(version, twentySix);

        // then
        assertThat(six).isNotNull().hasMessageContaining("LIMIT_EXCEEDED").hasMessageContaining("limit is 5");
        assertThat(many).isNotNull().hasMessageContaining("LIMIT_EXCEEDED").hasMessageContaining("limit is 25");
        assertThat(List.of(six, many)).allSatisfy(e -> assertThat(salesforceStatus(e)).isEqualTo(400));
        assertThat(salesforce.records("Contact")).isEmpty();
        assertThat(salesforce.compositeCalls()).isZero();
    }

    private Exception composite(String version, List<String> subrequests) {
        String body = "{\"allOrNone\":false,\"collateSubrequests\":false,\"compositeRequest\":[" + String.join(",", subrequests) + "]}";
        return camel.createProducerTemplate().send("salesforce:raw?format=JSON", ex -> {
            ex.getIn().setHeader(org.apache.camel.component.salesforce.SalesforceEndpointConfig.RAW_METHOD, "POST");
            ex.getIn().setHeader(org.apache.camel.component.salesforce.SalesforceEndpointConfig.RAW_PATH, version + "/composite");
            ex.getIn().setBody(body);
        }).getException();
    }

    private static int salesforceStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.component.salesforce.api.SalesforceException s) {
                return s.getStatusCode();
            }
        }
        return -1;
    }

    @Test // #7
    void withoutCompositeOnTheCrmTheAdapterFallsBackToOneCallPerObjectWithOneWarning() {
        // given: a CRM (or an older double) that answers 404 to POST composite
        salesforce.supportComposite(false);
        ListAppender<ILoggingEvent> log = adapterLog();
        try {
            // when
            List<List<CrmResult>> first = adapter.upsertAll(accountsContactsTasks("fb", 2));
            int callsAfterFirst = salesforce.apiCalls();
            List<List<CrmResult>> second = adapter.upsertAll(accountsContactsTasks("fb2", 2));

            // then: one refused composite call, then one collections call per object, and composite not tried again
            assertThat(first).hasSize(3).allSatisfy(batch -> assertThat(batch)
                    .allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)));
            assertThat(second).hasSize(3).allSatisfy(batch -> assertThat(batch)
                    .allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)));
            assertThat(callsAfterFirst).isEqualTo(4);
            assertThat(salesforce.apiCalls()).isEqualTo(7);
            assertThat(salesforce.compositeCalls()).isZero();
            assertThat(adapter.maxBatchesPerCall()).isEqualTo(1);
            assertThat(adapter.compositeRefused()).contains("HTTP 404").contains("NOT_FOUND");
            assertThat(salesforce.records("Task")).hasSize(4);
            assertThat(log.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("refused the Composite call")
                            .contains("HTTP 404").doesNotContain("\n"));
        } finally {
            detach(log);
        }
    }

    @Test // #7
    void aSubrequestThatFailsAsAWholeIsSentAgainAloneAndItsDependantsAreRetriedNotRefused() {
        // given: the Account subrequest answers 500 without per-record results
        salesforce.failSubrequestOnce("Account", 500);

        // when
        List<List<CrmResult>> results = adapter.upsertAll(accountsContactsTasks("sub", 2));

        // then: the Accounts came from a plain collections call; the Contacts ran before it and missed their Account
        assertThat(results.get(0)).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class));
        assertThat(results.get(1)).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(CrmResult.Refused.class,
                refused -> {
                    assertThat(refused.code()).isEqualTo("INVALID_FIELD");
                    assertThat(refused.isTransient()).isTrue();
                }));
        assertThat(salesforce.apiCalls()).isEqualTo(2);
        assertThat(salesforce.compositeCalls()).isEqualTo(1);
        assertThat(salesforce.records("Account")).hasSize(2);
        assertThat(adapter.maxBatchesPerCall()).isEqualTo(5);

        // when sent again, everything lands in one call
        List<List<CrmResult>> again = adapter.upsertAll(accountsContactsTasks("sub", 2));

        // then
        assertThat(again).allSatisfy(batch -> assertThat(batch).allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)));
        assertThat(salesforce.apiCalls()).isEqualTo(3);
        assertThat(salesforce.records("Contact")).hasSize(2);
    }

    @Test // #7
    void compositeSwitchedOffSendsOneCollectionsCallPerBatch() {
        // given
        SalesforceAdapter perObject = new SalesforceAdapter(camel, camel.createProducerTemplate(), "salesforce", false);

        // when
        List<List<CrmResult>> results = perObject.upsertAll(accountsContactsTasks("off", 2));

        // then
        assertThat(perObject.maxBatchesPerCall()).isEqualTo(1);
        assertThat(results).hasSize(3).allSatisfy(batch -> assertThat(batch).hasSize(2)
                .allSatisfy(r -> assertThat(r).isInstanceOf(CrmResult.Written.class)));
        assertThat(salesforce.apiCalls()).isEqualTo(3);
        assertThat(salesforce.compositeCalls()).isZero();
    }

    @Test // #7
    void aCompositeCallDuringAnOutageIsCrmUnavailableAndWritesNothing() {
        // given
        adapter.connect();
        salesforce.failWith(503);

        // when / then
        assertThatThrownBy(() -> adapter.upsertAll(accountsContactsTasks("down", 2)))
                .isInstanceOfSatisfying(CrmUnavailable.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(adapter.maxBatchesPerCall()).as("an outage is not a refused resource").isEqualTo(5);
        assertThat(salesforce.records("Account")).isEmpty();
    }

    @Test // #7
    void aBatchOfMixedObjectsOrAnEmptyBatchIsRefusedBeforeAnyCall() {
        // given
        List<CrmRecord> mixed = List.of(mapping.person("m-1", Map.of("email", "m1@gmail.com")),
                new CrmRecord("Account", "Hub_Account_Id__c", "m.io", Map.of("Name", "M")));

        // when / then
        assertThatThrownBy(() -> adapter.upsertAll(List.of(mixed)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one object type");
        assertThatThrownBy(() -> adapter.upsertAll(List.of(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one record");
        assertThat(salesforce.apiCalls()).isZero();
    }
}
