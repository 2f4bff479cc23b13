package org.touchpointhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.support.HubIntegrationTest;

/**
 * The batch consumer of {@code hub.inbound} through the real broker and database: several messages committed to the
 * queue in one JMS transaction reach one consumer together and are processed as one database transaction (events
 * of one transaction share {@code processed_at}, PostgreSQL's transaction time); a poison event, duplicates, per
 * person order and a database connection killed mid-batch.
 */
class BatchConsumerIntegrationTests extends HubIntegrationTest {

    @Autowired
    private ConnectionFactory connectionFactory;

    @Autowired
    private DataSource dataSource;

    /** Puts envelopes on hub.inbound in one JMS transaction, so they become visible to consumers together. */
    private void sendTogether(List<InboundEnvelope> envelopes) throws Exception {
        try (Connection c = connectionFactory.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue(HubHeaders.INBOUND_QUEUE));
            for (InboundEnvelope e : envelopes) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(e.body());
                m.setStringProperty(HubHeaders.CONNECTOR_ID, e.connector());
                m.setStringProperty(HubHeaders.EVENT_ID, e.eventId());
                m.setLongProperty(HubHeaders.RECEIVED_AT, e.receivedAt().toEpochMilli());
                m.setStringProperty(HubHeaders.CONTENT_TYPE, e.contentType());
                m.setStringProperty(HubHeaders.GROUP_ID, e.groupKey());
                producer.send(m);
            }
            s.commit();
        }
    }

    private static InboundEnvelope webform(String eventId, String group, String form) {
        return new InboundEnvelope("webform", eventId, null, group, Instant.now(), "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8));
    }

    /** A Stripe event whose time PostgreSQL refuses (year 3 million): mapping accepts it, the database does not. */
    private static InboundEnvelope poison(String eventId, String group) {
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"customer.updated\",\"created\":99999999999999,"
                + "\"data\":{\"object\":{\"object\":\"customer\",\"id\":\"cus_" + eventId + "\",\"email\":\"poison@example.com\"}}}";
        return new InboundEnvelope("stripe", eventId, null, group, Instant.now(), "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    @Test // #7
    void aPoisonEventInABatchBecomesADeadLetterAndTheOthersAreProcessed() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String group = "batch-poison-" + run;
        List<InboundEnvelope> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(i == 4 ? poison("evt_poison_" + run, group)
                    : webform("bp-" + run + "-" + i, group, "submission_id=bp-" + run + "-" + i + "&email=bp" + i + "." + run + "%40example.com"));
        }

        sendTogether(batch);
        awaitIdle();

        assertThat(count("select count(*) from events where event_id like ? and outcome = 'mapped'", "bp-" + run + "-%")).isEqualTo(9);
        assertThat(count("select count(*) from touchpoints where event_id like ?", "bp-" + run + "-%")).isEqualTo(9);
        assertThat(count("select count(*) from events where event_id = ? and outcome = 'dead-letter'", "evt_poison_" + run)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select reason from dead_letters where event_id = ?", String.class, "evt_poison_" + run))
                .startsWith("processing failed: ");
        assertThat(count("select count(*) from touchpoints where event_id = ?", "evt_poison_" + run)).isZero();
    }

    @Test // #7
    void aMessageWithoutConnectorOrEventIdBecomesADeadLetterAndDoesNotHoldUpTheQueue() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long before = count("select count(*) from dead_letters where connector = 'unknown'");
        try (Connection c = connectionFactory.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue(HubHeaders.INBOUND_QUEUE));
            BytesMessage bare = s.createBytesMessage();
            bare.writeBytes(("{\"hand\":\"" + run + "\"}").getBytes(StandardCharsets.UTF_8));
            producer.send(bare);
            s.commit();
        }
        sendTogether(List.of(webform("bare-" + run, "bare-" + run, "submission_id=bare-" + run + "&email=bare." + run + "%40example.com")));
        awaitIdle();
        assertThat(count("select count(*) from dead_letters where connector = 'unknown' and event_id like 'jms:%'")).isEqualTo(before + 1);
        assertThat(count("select count(*) from touchpoints where event_id = ?", "bare-" + run)).isEqualTo(1);
    }

    @Test // #7
    void duplicatesInABatchAreRecordedOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String group = "batch-dup-" + run;
        List<InboundEnvelope> batch = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i % 4; // each of four events three times in one batch
            batch.add(webform("bd-" + run + "-" + n, group, "submission_id=bd-" + run + "-" + n + "&email=bd." + run + "%40example.com"));
        }

        sendTogether(batch);
        awaitIdle();

        assertThat(count("select count(*) from events where event_id like ?", "bd-" + run + "-%")).isEqualTo(4);
        assertThat(count("select count(*) from touchpoints where event_id like ?", "bd-" + run + "-%")).isEqualTo(4);
        assertThat(count("select count(distinct customer_id) from touchpoints where event_id like ?", "bd-" + run + "-%")).isEqualTo(1);
        // processed in fewer transactions than events: at least two events share a transaction time
        assertThat(count("select count(distinct processed_at) from events where event_id like ?", "bd-" + run + "-%")).isLessThan(4);
        assertThat(count("select count(*) from dead_letters where event_id like ?", "bd-" + run + "-%")).isZero();
    }

    @Autowired
    private org.touchpointhub.ingest.EdgeLoad edgeLoad;

    @Test // #7
    void whileTheEdgeIsSaturatedEveryGroupIsStillProcessedInOrder() throws Exception {
        // given senders queueing at the edge (more requests in flight than the threshold) for the whole test
        for (int i = 0; i < 8; i++) {
            edgeLoad.enter();
        }
        try {
            assertThat(edgeLoad.saturated()).isTrue();
            String run = UUID.randomUUID().toString().substring(0, 8);
            List<InboundEnvelope> events = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String id = "sat-" + run + "-" + (i % 6) + "-" + i;
                sent.add(id);
                events.add(webform(id, "sat-" + run + "-" + (i % 6) + "@example.com", "submission_id=" + id
                        + "&email=sat" + (i % 6) + "." + run + "%40example.com&first_name=S" + i));
            }
            // when
            sendTogether(events);
            awaitIdle();
            // then consumers took turns: nothing stalled, every person's events in send order, one customer each
            for (int g = 0; g < 6; g++) {
                String group = "sat-" + run + "-" + g + "-";
                List<String> expected = sent.stream().filter(id -> id.startsWith(group)).toList();
                assertThat(expected).hasSize(10);
                assertThat(jdbc.queryForList("select event_id from touchpoints where event_id like ? order by id", String.class,
                        group + "%")).containsExactlyElementsOf(expected);
                assertThat(count("select count(distinct customer_id) from touchpoints where event_id like ?", group + "%"))
                        .isEqualTo(1);
            }
        } finally {
            for (int i = 0; i < 8; i++) {
                edgeLoad.exit();
            }
        }
    }

    @Test // #7
    void oneGroupsEventsAreProcessedInSendOrder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String group = "order-" + run + "@example.com";
        List<InboundEnvelope> batch = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "bo-" + run + "-" + (char) ('a' + (i * 7) % 26) + i; // ids not in sort order
            sent.add(id);
            batch.add(webform(id, group, "submission_id=" + id + "&email=order." + run + "%40example.com&first_name=N" + i));
        }

        sendTogether(batch.subList(0, 20));
        sendTogether(batch.subList(20, 40));
        awaitIdle();

        assertThat(jdbc.queryForList("select event_id from touchpoints where event_id like ? order by id", String.class,
                "bo-" + run + "-%")).containsExactlyElementsOf(sent);
        assertThat(count("select count(distinct customer_id) from touchpoints where event_id like ?", "bo-" + run + "-%")).isEqualTo(1);
    }

    @Test // #7
    void aDatabaseConnectionKilledMidBatchIsRetriedInPlaceAndLosesNothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String group = "batch-kill-" + run;
        List<InboundEnvelope> batch = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String id = "bk-" + run + "-" + i;
            sent.add(id);
            batch.add(webform(id, group, "submission_id=" + id + "&email=bk" + (i % 5) + "." + run + "%40example.com"));
        }
        try (java.sql.Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                // the batch's transaction writes the outbox late: it waits there, with its events already inserted
                st.execute("lock table outbox in exclusive mode");
            }
            sendTogether(batch);
            await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from pg_stat_activity where "
                    + "wait_event_type = 'Lock' and query like '%set golden%into outbox%' and pid <> pg_backend_pid()") > 0);
            Long killed = count("select count(*) from (select pg_terminate_backend(pid) as k from pg_stat_activity where "
                    + "wait_event_type = 'Lock' and query like '%set golden%into outbox%' and pid <> pg_backend_pid()) x where k");
            assertThat(killed).isPositive();
            // the batch comes again on a new connection and waits on the lock again: nothing was committed meanwhile
            await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from pg_stat_activity where "
                    + "wait_event_type = 'Lock' and query like '%set golden%into outbox%' and pid <> pg_backend_pid()") > 0);
            assertThat(count("select count(*) from events where event_id like ?", "bk-" + run + "-%")).isZero();
            blocker.rollback();
        }
        awaitIdle();

        assertThat(jdbc.queryForList("select event_id from touchpoints where event_id like ? order by id", String.class,
                "bk-" + run + "-%")).containsExactlyElementsOf(sent);
        assertThat(count("select count(*) from events where event_id like ? and outcome = 'mapped'", "bk-" + run + "-%")).isEqualTo(16);
        assertThat(count("select count(distinct customer_id) from touchpoints where event_id like ?", "bk-" + run + "-%")).isEqualTo(5);
        assertThat(count("select count(*) from dead_letters where event_id like ?", "bk-" + run + "-%")).isZero();
    }
}
