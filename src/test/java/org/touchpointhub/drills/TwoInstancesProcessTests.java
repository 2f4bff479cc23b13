package org.touchpointhub.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.touchpointhub.bench.SalesforceDouble;
import org.touchpointhub.support.EngineProcess;
import org.touchpointhub.support.HookClient;
import org.touchpointhub.support.HubProcess;

/**
 * Two hub processes share one standalone Artemis and one PostgreSQL (separate processes on loopback) and deliver to
 * one Salesforce double: a person whose events arrive at both, alternately, is one customer and one Contact, their
 * events are processed in the order they were sent (one message group per person, #7), and the delivery
 * work is shared without sending any activity twice. Pollers on one node at a time are not covered here (the
 * leader election is built separately).
 */
class TwoInstancesProcessTests {

    private final List<HubProcess> hubs = new ArrayList<>();
    private EngineProcess postgres;
    private EngineProcess artemis;
    private SalesforceDouble salesforce;

    @AfterEach
    void killEverything() {
        Drill.killAll(hubs, artemis, postgres);
        if (salesforce != null) {
            salesforce.close();
        }
    }

    @Test // #7
    void eventsOfOnePersonAtBothHubsGiveOneCustomerAndDeliveryIsSharedWithoutDoubleSends() throws Exception {
        // given two hubs on one broker and one database, delivering in small batches so that both take turns
        Path dir = Drill.folder("two-instances");
        postgres = EngineProcess.postgres(dir).start();
        artemis = EngineProcess.artemis(dir).start();
        salesforce = SalesforceDouble.start();
        HubProcess a = start(dir, "a");
        HubProcess b = start(dir, "b");
        HookClient[] doors = {a.hooks(), b.hooks()};

        // when 100 people send 4 events each, alternately to hub a and hub b (each event after the previous one was
        // acknowledged), 8 people at a time, in random order
        int people = 100;
        int perPerson = 4;
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            order.add(p);
        }
        Collections.shuffle(order, new Random(7));
        Drill.Sender sender = new Drill.Sender(() -> doors[0]);
        Drill.Sender senderB = new Drill.Sender(() -> doors[1]);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> posts = new ArrayList<>();
            for (int p : order) {
                posts.add(clients.submit(() -> {
                    for (int k = 0; k < perPerson; k++) {
                        Drill.Sender via = k % 2 == 0 ? sender : senderB;
                        assertThat(via.post("two-" + p + "-" + k, "two.person" + p + "@example.com")).isEqualTo(202);
                    }
                }));
            }
            for (Future<?> post : posts) {
                post.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(sender.acknowledged.size() + senderB.acknowledged.size()).isEqualTo(people * perPerson);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                salesforce.records("Task").size() >= people * perPerson && Drill.stat(a, "outbox") == 0);

        // then one customer per person, one Contact per person, every Task written exactly once, by both hubs
        assertThat(Drill.stat(a, "events.mapped")).isEqualTo(people * perPerson);
        assertThat(Drill.stat(b, "customers")).isEqualTo(people);
        assertThat(Drill.stat(b, "deadLettersOpen")).isZero();
        assertThat(salesforce.records("Contact")).hasSize(people);
        assertThat(Drill.distinct(salesforce, "Contact", "Hub_Customer_Id__c")).isEqualTo(people);
        assertThat(salesforce.records("Task")).hasSize(people * perPerson);
        Map<String, Integer> taskUpserts = salesforce.upserts("Task");
        assertThat(taskUpserts).hasSize(people * perPerson);
        assertThat(taskUpserts.values()).as("no Task sent twice").containsOnly(1);
        // and each person's events were processed in the order they were sent, whichever hub took them
        Map<Integer, List<Integer>> processed = new java.util.TreeMap<>();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
                var rows = db.createStatement().executeQuery(
                        "select event_id from touchpoints where event_id like 'two-%' order by id")) {
            while (rows.next()) {
                String[] parts = rows.getString(1).split("-");
                processed.computeIfAbsent(Integer.parseInt(parts[1]), x -> new ArrayList<>()).add(Integer.parseInt(parts[2]));
            }
        }
        assertThat(processed).hasSize(people);
        processed.forEach((person, ks) -> assertThat(ks).as("processing order of person %d", person)
                .containsExactly(0, 1, 2, 3));
        Map<String, Integer> bySession = salesforce.callsBySession();
        assertThat(bySession.values().stream().filter(n -> n > 0).count()).as("both hubs delivered: %s", bySession)
                .isGreaterThanOrEqualTo(2);
        System.out.printf("[#7 drill] two instances: %d events at 2 hubs, %d customers, %d Contacts, %d Tasks each sent "
                        + "once; CRM calls per hub login %s; %.1f records per call%n", people * perPerson,
                Drill.stat(a, "customers"), salesforce.records("Contact").size(), salesforce.records("Task").size(),
                bySession.values(), (double) salesforce.collectionRecords() / salesforce.writeCalls());
    }

    private HubProcess start(Path dir, String name) throws Exception {
        HubProcess hub = new HubProcess(dir.resolve("hub-" + name), dir.resolve("hub-" + name + ".log"),
                Drill.hubArgs(postgres, artemis, salesforce, "--hub.crm.delivery.batch-size=20",
                        "--hub.crm.delivery.max-wait=200ms", "--hub.crm.delivery.lease=30s"), Map.of());
        hubs.add(hub);
        System.out.printf("[#7 drill] hub %s up in %.1f s%n", name, hub.start());
        return hub;
    }
}
