package org.touchpointhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.crm.CustomerChanges.CustomerChange;
import org.touchpointhub.crm.salesforce.SalesforceAdapter;
import org.touchpointhub.crm.salesforce.SalesforceRecords;
import org.touchpointhub.crm.salesforce.SalesforceSettings;

/**
 * A delivery run reads all its customers and writes all of them back in a few statements (#7): these tests seed
 * customers straight into the store, with data that differs per customer, and check that each one's own golden record,
 * touchpoints, revenue and CRM ids reached the Salesforce double and came back to the right customer.
 */
class DeliveryRunIntegrationTests extends SalesforceDeliveryIntegrationTest {

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    @Autowired
    ObjectMapper json;

    @Autowired
    SalesforceAdapter adapter;

    @Autowired
    MeterRegistry meters;

    @Test // #7
    void aRunOfSeveralCustomersSendsEachOnesOwnDataAndWritesBackEachOnesIds() {
        // given: four customers with their own touchpoints, revenue and CRM ids, plus one merged away, in one run;
        // the CRM's answer is held so that one customer can change while the run is being sent
        salesforce.holdResponses();
        long a;
        long b;
        long c;
        long x;
        long merged;
        Map<Long, List<Long>> pending = new LinkedHashMap<>();
        try {
            long[] ids = tx.execute(status -> {
                long ca = customer("ann.set@setbased-ab.test", "Ann", "Abbot", "setbased-ab.test", "AB Works",
                        "{\"Legacy__c\": \"LEG-A\"}", null);
                long cb = customer("bob.set@setbased-ab.test", "Bob", "Baker", "setbased-ab.test", "AB Works",
                        "{\"Legacy__c\": \"LEG-B\"}", null);
                long cc = customer("cy.set@setbased-c.test", "Cy", "Cole", "setbased-c.test", "C Corp", "{}", null);
                long cx = customer("xen.set@setbased-x.test", "Xen", "Xu", "setbased-x.test", "X Ltd", "{}", null);
                long cm = customer("mo.set@setbased-m.test", "Mo", "Merged", "setbased-m.test", "M Inc", "{}", ca);
                pending.put(ca, List.of(touchpoint(ca, "a1", "form_submitted", "2026-11-01T10:00:00Z", null, false),
                        touchpoint(ca, "a2", "payment_succeeded", "2026-11-02T10:00:00Z", "120.50", false)));
                touchpoint(cb, "b0", "payment_succeeded", "2026-10-01T10:00:00Z", "99", true);
                pending.put(cb, List.of(touchpoint(cb, "b1", "payment_succeeded", "2026-11-03T10:00:00Z", "1.25", false)));
                touchpoint(cc, "c0", "form_submitted", "2026-10-01T09:00:00Z", null, true);
                pending.put(cc, List.of(touchpoint(cc, "c1", "meeting_booked", "2026-11-05T09:00:00Z", null, false),
                        touchpoint(cc, "c2", "form_submitted", "2026-11-04T09:00:00Z", null, false),
                        touchpoint(cc, "c3", "email_opened", "2026-11-06T09:00:00Z", null, false)));
                pending.put(cx, List.of(touchpoint(cx, "x1", "form_submitted", "2026-11-07T09:00:00Z", null, false)));
                touchpoint(cm, "m1", "form_submitted", "2026-11-08T09:00:00Z", null, false);
                for (long id : List.of(ca, cb, cc, cx, cm)) {
                    jdbc.update("insert into outbox (customer_id, changed_at, due_at) values (?, clock_timestamp(), "
                            + "clock_timestamp())", id);
                }
                return new long[] {ca, cb, cc, cx, cm};
            });
            a = ids[0];
            b = ids[1];
            c = ids[2];
            x = ids[3];
            merged = ids[4];

            // when: the run is sent (all five claimed, the CRM has applied the call), x changes as an event would
            await().atMost(Duration.ofSeconds(20)).until(() -> salesforce.heldCalls() >= 1 && jdbc.queryForObject(
                    "select count(*) from outbox where customer_id = any(?::bigint[]) and due_at > now()", Long.class,
                    array(ids)) == 5);
            jdbc.update("update outbox set changed_at = clock_timestamp() where customer_id = ?", x);
        } finally {
            salesforce.releaseResponses();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxDepth() == 0
                && salesforce.upserts("Contact").getOrDefault(String.valueOf(x), 0) >= 2);

        // then: each customer's Contact carries its own golden record and revenue, under its own Account
        Map<String, Object> ab = salesforce.find("Account", "Hub_Account_Id__c", "setbased-ab.test");
        Map<String, Object> cAccount = salesforce.find("Account", "Hub_Account_Id__c", "setbased-c.test");
        assertThat(ab).containsEntry("Name", "AB Works");
        assertThat(cAccount).containsEntry("Name", "C Corp");
        Map<String, Object> ca = contact(a);
        Map<String, Object> cb = contact(b);
        Map<String, Object> cc = contact(c);
        Map<String, Object> cx = contact(x);
        assertThat(ca).contains(entry("Email", "ann.set@setbased-ab.test"), entry("LastName", "Abbot"),
                entry("AccountId", ab.get("Id")));
        assertThat(cb).contains(entry("Email", "bob.set@setbased-ab.test"), entry("LastName", "Baker"),
                entry("AccountId", ab.get("Id")));
        assertThat(cc).contains(entry("Email", "cy.set@setbased-c.test"), entry("LastName", "Cole"),
                entry("AccountId", cAccount.get("Id")));
        assertThat(cx).contains(entry("Email", "xen.set@setbased-x.test"), entry("LastName", "Xu"));
        assertThat(new BigDecimal(String.valueOf(ca.get("Hub_Lifetime_Revenue__c")))).isEqualByComparingTo("120.5");
        assertThat(new BigDecimal(String.valueOf(cb.get("Hub_Lifetime_Revenue__c")))).isEqualByComparingTo("100.25");
        assertThat(cc).doesNotContainKey("Hub_Lifetime_Revenue__c");

        // then: each one's undelivered touchpoints, and only those, are Tasks of its own Contact, now delivered
        for (var e : pending.entrySet()) {
            Map<String, Object> contact = contact(e.getKey());
            Set<String> expected = e.getValue().stream().map(String::valueOf).collect(Collectors.toSet());
            assertThat(tasksOf(List.of(contact))).extracting(t -> (String) t.get("Hub_Touchpoint_Id__c"))
                    .as("Tasks of customer %d", e.getKey()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(jdbc.queryForObject("select count(*) from touchpoints where customer_id = ? and delivered_at is null",
                    Long.class, e.getKey())).isZero();
        }

        // then: the CRM ids came back to their own customers, next to the ids they had
        assertThat(crmIds(a)).containsExactlyInAnyOrderEntriesOf(Map.of("Legacy__c", "LEG-A", "Account", ab.get("Id"),
                "Contact", ca.get("Id")));
        assertThat(crmIds(b)).containsExactlyInAnyOrderEntriesOf(Map.of("Legacy__c", "LEG-B", "Account", ab.get("Id"),
                "Contact", cb.get("Id")));
        assertThat(crmIds(c)).containsExactlyInAnyOrderEntriesOf(Map.of("Account", cAccount.get("Id"),
                "Contact", cc.get("Id")));
        assertThat(crmIds(x)).containsEntry("Contact", cx.get("Id"));

        // then: the customer that changed during the send went out again, the others once; the merged one not at all
        Map<String, Integer> contactUpserts = salesforce.upserts("Contact");
        assertThat(contactUpserts).contains(entry(String.valueOf(a), 1), entry(String.valueOf(b), 1),
                entry(String.valueOf(c), 1), entry(String.valueOf(x), 2));
        assertThat(salesforce.find("Contact", "Hub_Customer_Id__c", String.valueOf(merged))).isNull();
        assertThat(crmIds(merged)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from touchpoints where customer_id = ? and delivered_at is null",
                Long.class, merged)).isEqualTo(1);
    }

    @Test // #7
    void customersWhoseStoredDataCannotBeReadAreLeftToTheirLeaseAndTheOthersOfTheRunAreDelivered() {
        // given: in one run, a readable customer, one whose crm_ids is a JSON array and one whose golden record holds a
        // string where an attribute object belongs
        long[] ids = tx.execute(status -> {
            long ok = customer("ok.unread@unreadable-ok.test", "Ola", "Okay", "unreadable-ok.test", "Ok Co", "{}", null);
            long badIds = customer("ids.unread@unreadable-ids.test", "Ida", "Ids", "unreadable-ids.test", "Ids Co", "[]",
                    null);
            long badGolden = jdbc.queryForObject("insert into customers (golden) values ('{\"email\": "
                    + "\"gold.unread@unreadable-gold.test\"}'::jsonb) returning id", Long.class);
            for (long id : List.of(ok, badIds, badGolden)) {
                touchpoint(id, "u" + id, "form_submitted", "2026-11-09T09:00:00Z", null, false);
                jdbc.update("insert into outbox (customer_id) values (?)", id);
            }
            return new long[] {ok, badIds, badGolden};
        });
        long ok = ids[0];
        long badIds = ids[1];
        long badGolden = ids[2];

        // when
        await().atMost(Duration.ofSeconds(20)).until(() -> undelivered(ok) == 0
                && jdbc.queryForObject("select count(*) from outbox where customer_id = ?", Long.class, ok) == 0);

        // then: the readable one is delivered; the others were sent nothing and keep their claimed rows untouched
        assertThat(contact(ok)).containsEntry("Email", "ok.unread@unreadable-ok.test");
        for (long bad : List.of(badIds, badGolden)) {
            assertThat(salesforce.find("Contact", "Hub_Customer_Id__c", String.valueOf(bad))).isNull();
            assertThat(undelivered(bad)).isEqualTo(1);
            assertThat(jdbc.queryForMap("select due_at > now() as leased, attempts, last_error from outbox "
                    + "where customer_id = ?", bad)).contains(entry("leased", true), entry("attempts", 0),
                    entry("last_error", null));
        }

        // when: their data is repaired and their lease ends
        jdbc.update("update customers set crm_ids = '{}'::jsonb where id = ?", badIds);
        jdbc.update("update customers set golden = '{\"email\": {\"v\": \"gold.unread@unreadable-gold.test\"}}'::jsonb "
                + "where id = ?", badGolden);
        jdbc.update("update outbox set due_at = now() where customer_id = any(?::bigint[])", array(new long[] {badIds, badGolden}));
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0 && undelivered(badIds) == 0
                && undelivered(badGolden) == 0);

        // then
        assertThat(contact(badIds)).containsEntry("Email", "ids.unread@unreadable-ids.test");
        assertThat(contact(badGolden)).containsEntry("Email", "gold.unread@unreadable-gold.test");
    }

    @Test // #7
    void oneCustomersLoadIsItsPartOfLoadingSeveralAndNamesAMissingOrUnreadableCustomer() {
        // given: customers not in the outbox (the hub's loop leaves them alone), with their own touchpoints and revenue
        CustomerChanges changes = new CustomerChanges(jdbc, json);
        long[] ids = tx.execute(status -> {
            long first = customer("one.load@load-one.test", "Lo", "One", "load-one.test", "Load One", "{\"Contact\": \"003A\"}",
                    null);
            long second = customer("two.load@load-two.test", "Lt", "Two", "load-two.test", "Load Two", "{}", null);
            touchpoint(first, "l1b", "form_submitted", "2026-11-12T09:00:00Z", null, false);
            touchpoint(first, "l1a", "payment_succeeded", "2026-11-11T09:00:00Z", "7.10", false);
            touchpoint(second, "l2a", "payment_succeeded", "2026-11-11T09:00:00Z", "not a number", false);
            long unreadable = customer("bad.load@load-bad.test", "Lb", "Bad", "load-bad.test", "Load Bad", "\"003B\"", null);
            return new long[] {first, second, unreadable};
        });
        long missing = jdbc.queryForObject("select coalesce(max(id), 0) + 1000 from customers", Long.class);

        // when
        CustomerChanges.Loaded all = changes.loadAll(List.of(ids[0], ids[1], ids[2], missing));
        CustomerChange first = changes.load(ids[0]);

        // then
        assertThat(all.changes()).containsOnlyKeys(ids[0], ids[1]);
        assertThat(all.changes().get(ids[0])).isEqualTo(first);
        assertThat(first.golden()).contains(entry("email", "one.load@load-one.test"), entry("lifetime_revenue", "7.1"));
        assertThat(first.crmIds()).containsExactly(entry("Contact", "003A"));
        assertThat(first.touchpoints()).extracting(t -> t.type()).containsExactly("payment_succeeded", "form_submitted");
        assertThat(all.changes().get(ids[1]).golden()).doesNotContainKey("lifetime_revenue");
        assertThat(all.changes().get(ids[1]).touchpoints()).singleElement()
                .satisfies(t -> assertThat(t.summary()).isEqualTo("summary l2a"));
        assertThat(all.unreadable()).containsOnlyKeys(ids[2]);
        assertThat(changes.loadAll(List.of())).isEqualTo(new CustomerChanges.Loaded(Map.of(), Map.of()));
        assertThatThrownBy(() -> changes.load(ids[2])).isInstanceOf(IllegalStateException.class)
                .hasMessage("crm_ids of customer " + ids[2] + " is not a JSON object of CRM ids");
        assertThatThrownBy(() -> changes.load(missing)).isInstanceOf(EmptyResultDataAccessException.class)
                .hasMessageContaining("no customer " + missing);
    }

    @Test // #7
    void aRunReadsAndWritesBackInAsManyStatementsForTwelveCustomersAsForThree() {
        // given: the run's database work counted statement by statement; rows due in an hour, so the hub's own loop
        // leaves them to this run
        CountingDataSource counting = new CountingDataSource(dataSource);
        JdbcTemplate countedJdbc = new JdbcTemplate(counting.dataSource());
        Outbox outbox = new Outbox(countedJdbc, new TransactionTemplate(new DataSourceTransactionManager(
                counting.dataSource())), "salesforce");
        CustomerChanges changes = new CustomerChanges(countedJdbc, json);

        // when
        int[] three = countRun("three", 3, counting, outbox, changes);
        int[] twelve = countRun("twelve", 12, counting, outbox, changes);
        System.out.printf("statements per delivery run: 3 customers load %d + write-back %d; 12 customers load %d + "
                + "write-back %d%n", three[0], three[1], twelve[0], twelve[1]);

        // then
        assertThat(twelve[0]).as("statements loading a run").isEqualTo(three[0]);
        assertThat(twelve[1]).as("statements writing a run back").isEqualTo(three[1]);
    }

    /** Seeds n customers (the last merged into the first), delivers them in one run; answers the load's and write-back's statements. */
    private int[] countRun(String name, int n, CountingDataSource counting, Outbox outbox, CustomerChanges changes) {
        List<Long> ids = new ArrayList<>();
        List<Long> touchpoints = new ArrayList<>();
        tx.execute(status -> {
            for (int i = 0; i < n; i++) {
                Long into = i == n - 1 ? ids.get(0) : null;
                long id = customer(name + i + ".count@count-" + name + ".test", "Cal", "Count" + i, "count-" + name + ".test",
                        "Count " + name, "{\"Legacy__c\": \"L" + i + "\"}", into);
                ids.add(id);
                touchpoints.add(touchpoint(id, name + i + "a", "form_submitted", "2026-11-10T09:00:00Z", null, false));
                touchpoints.add(touchpoint(id, name + i + "b", "payment_succeeded", "2026-11-11T09:00:00Z", i + ".5", false));
                jdbc.update("insert into outbox (customer_id, due_at) values (?, now() + interval '1 hour')", id);
            }
            return null;
        });
        try {
            List<Outbox.Claim> claims = jdbc.query("select customer_id, (extract(epoch from changed_at) * 1000000)::bigint "
                    + "from outbox where customer_id = any(?::bigint[]) order by customer_id", (rs, i) -> new Outbox.Claim(rs.getLong(1),
                    rs.getLong(2), 0), array(ids.stream().mapToLong(Long::longValue).toArray()));
            SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());
            CrmObjects objects = new CrmObjects(List.of("Account", "Contact", "Task"), Set.of("Account"), "Task");
            DeliveryRun run = new DeliveryRun(adapter, objects, 200, 0, new WrittenParents(),
                    new DeliveryMetrics(meters, "salesforce"));

            int start = counting.executions();
            run.load(claims, new HashSet<>(outbox.mergedAway(ids)), changes, change -> records.forCustomer(
                    String.valueOf(change.customerId()), change.golden(), change.touchpoints()));
            int loaded = counting.executions();
            assertThat(run.send()).isEqualTo(DeliveryRun.End.COMPLETED);
            int sent = counting.executions();
            outbox.finish(run.outcomes(), Duration.ZERO, Duration.ofSeconds(30));
            int finished = counting.executions();

            // then (each run): everyone but the merged one delivered with its own ids; no row left
            assertThat(sent).as("no statements while sending").isEqualTo(loaded);
            for (int i = 0; i < n - 1; i++) {
                long id = ids.get(i);
                assertThat(crmIds(id)).containsEntry("Legacy__c", "L" + i)
                        .containsEntry("Contact", contact(id).get("Id"));
                assertThat(undelivered(id)).isZero();
            }
            assertThat(undelivered(ids.get(n - 1))).isEqualTo(2);
            assertThat(jdbc.queryForObject("select count(*) from outbox where customer_id = any(?::bigint[])", Long.class,
                    array(ids.stream().mapToLong(Long::longValue).toArray()))).isZero();
            return new int[] {loaded - start, finished - sent};
        } finally {
            // a failed run must not leave rows that keep the next test's wait for an empty outbox from ending
            jdbc.update("delete from outbox where customer_id = any(?::bigint[])", array(ids.stream().mapToLong(Long::longValue)
                    .toArray()));
        }
    }

    private long customer(String email, String first, String last, String domain, String company, String crmIds,
            Long mergedInto) {
        Map<String, Object> golden = new LinkedHashMap<>();
        golden.put("email", Map.of("v", email));
        golden.put("first_name", Map.of("v", first));
        golden.put("last_name", Map.of("v", last));
        golden.put("company", Map.of("v", company));
        golden.put("company_domain", Map.of("v", domain));
        try {
            return jdbc.queryForObject("insert into customers (golden, crm_ids, merged_into) values (?::jsonb, ?::jsonb, ?) "
                    + "returning id", Long.class, json.writeValueAsString(golden), crmIds, mergedInto);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts a touchpoint (a payment with its amount); answers its id. */
    private long touchpoint(long customer, String key, String type, String occurredAt, String amount, boolean delivered) {
        String attributes = amount == null ? "{}" : "{\"amount\": \"" + amount + "\"}";
        return jdbc.queryForObject("insert into touchpoints (customer_id, touchpoint_key, connector, event_id, type, channel, "
                + "occurred_at, summary, attributes, delivered_at) values (?, ?, 'webform', ?, ?, 'web', ?::timestamptz, ?, "
                + "?::jsonb, case when ? then now() end) returning id", Long.class, customer, "setbased:" + key, key, type,
                occurredAt, "summary " + key, attributes, delivered);
    }

    private Map<String, Object> contact(long customer) {
        Map<String, Object> contact = salesforce.find("Contact", "Hub_Customer_Id__c", String.valueOf(customer));
        assertThat(contact).as("Contact of customer %d", customer).isNotNull();
        return contact;
    }

    private Map<String, Object> crmIds(long customer) {
        try {
            return json.readValue(jdbc.queryForObject("select crm_ids::text from customers where id = ?", String.class,
                    customer), Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private long undelivered(long customer) {
        return jdbc.queryForObject("select count(*) from touchpoints where customer_id = ? and delivered_at is null",
                Long.class, customer);
    }

    /** A PostgreSQL array literal of these ids, for a {@code ?::bigint[]} parameter. */
    private static String array(long[] ids) {
        return java.util.Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }
}
