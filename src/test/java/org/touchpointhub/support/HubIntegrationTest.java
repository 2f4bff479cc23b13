package org.touchpointhub.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the whole hub on a random port with its real embedded engines (Artemis with a
 * persistent journal, PostgreSQL with Flyway) in a fresh data folder, the project's own {@code connectors/}, and
 * test secrets. Spring caches the context, so test classes with the same configuration share one hub.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.data-dir=target/it-data/${random.uuid}",
        "hub.connectors-dir=connectors",
        "hub.routes-dir=routes",
        "HUB_ADMIN_USER=admin",
        "HUB_ADMIN_PASSWORD=admin-test-password",
        "TYPEFORM_WEBHOOK_SECRET=" + TestSecrets.TYPEFORM,
        "WEBFORM_WEBHOOK_SECRET=" + TestSecrets.WEBFORM,
        "STRIPE_WEBHOOK_SECRET=" + TestSecrets.STRIPE,
        "CALENDLY_WEBHOOK_SECRET=" + TestSecrets.CALENDLY,
        "CALCOM_WEBHOOK_SECRET=" + TestSecrets.CALCOM,
        "PADDLE_WEBHOOK_SECRET=" + TestSecrets.PADDLE,
        "MAILGUN_WEBHOOK_SECRET=" + TestSecrets.MAILGUN,
        "MAILCHIMP_WEBHOOK_SECRET=" + TestSecrets.MAILCHIMP,
        "JOTFORM_WEBHOOK_SECRET=" + TestSecrets.JOTFORM,
        "TWILIO_AUTH_TOKEN=" + TestSecrets.TWILIO,
        "STANDARD_WEBHOOKS_WEBHOOK_SECRET=" + TestSecrets.STANDARD_WEBHOOKS,
        "CHARGEBEE_WEBHOOK_USER=" + TestSecrets.CHARGEBEE_USER,
        "CHARGEBEE_WEBHOOK_PASSWORD=" + TestSecrets.CHARGEBEE_PASSWORD,
        "SEGMENT_WRITE_KEY=" + TestSecrets.SEGMENT,
        "SENDGRID_WEBHOOK_PUBLIC_KEY=" + TestSecrets.SENDGRID_PUBLIC_KEY,
        "hub.processing.consumers=4",
        "hub.pollers.leader-check-interval=300ms",
        "hub.cdr.poll-delay=200",
        "hub.cdr.internal-numbers=8[0-9]{3}",
        "hub.lead-inbox.protocol=imap",
        "hub.lead-inbox.host=127.0.0.1",
        "hub.lead-inbox.username=" + TestMailServer.USER,
        "HUB_LEAD_INBOX_PASSWORD=" + TestMailServer.PASSWORD,
        "hub.lead-inbox.poll-delay=300",
        "CALENDLY_API_TOKEN=" + TestCalendlyApi.TOKEN,
        "hub.pollers.calendly.organization=" + TestCalendlyApi.ORGANIZATION,
        "hub.pollers.calendly.interval=300",
        "hub.pollers.max-backoff=2s",
        "hub.enrich.firmographics.kind=file",
        "hub.enrich.firmographics.file=classpath:fixtures/firmographics/companies.csv",
        "hub.enrich.firmographics.interval=200ms",
})
public abstract class HubIntegrationTest {

    /** The lead inbox's IMAP port: GreenMail runs before the hub, so its poller always finds a mailbox. */
    @DynamicPropertySource
    static void mailbox(DynamicPropertyRegistry registry) {
        registry.add("hub.lead-inbox.port", TestMailServer::imapPort);
    }

    /** The Calendly API stub's URL: it runs before the hub, so the Calendly poller always finds an API. */
    @DynamicPropertySource
    static void calendly(DynamicPropertyRegistry registry) {
        registry.add("hub.pollers.calendly.base-url", TestCalendlyApi::baseUrl);
    }

    /**
     * For a test class that starts a second hub context (other properties): that hub must not poll the one GreenMail
     * mailbox and the one Calendly stub this JVM shares, or two hubs would race for the same mails and pages.
     */
    protected static void withoutSharedPollers(DynamicPropertyRegistry registry) {
        registry.add("hub.lead-inbox.host", () -> "none");
        registry.add("hub.pollers.calendly.organization", () -> "none");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired(required = false)
    private EmbeddedActiveMQ broker;

    protected HookClient hooks;
    protected AdminClient admin;

    @BeforeEach
    void clients() {
        hooks = new HookClient("http://127.0.0.1:" + port);
        admin = new AdminClient("http://127.0.0.1:" + port, "admin", "admin-test-password");
    }

    /** Waits until every message on hub.inbound has been processed and acknowledged. */
    protected void awaitIdle() {
        Queue queue = broker.getActiveMQServer().locateQueue(SimpleString.of("hub.inbound"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> queue.getMessageCount() == 0 && queue.getDeliveringCount() == 0);
    }

    /** How many messages were ever put on hub.inbound (to prove a refused request queued nothing). */
    protected long messagesQueued() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of("hub.inbound")).getMessagesAdded();
    }

    /** The customer (following merges) holding an identity key, once it exists. */
    protected long awaitCustomer(String kind, String value) {
        await().atMost(Duration.ofSeconds(30)).until(() -> customerByKey(kind, value).isPresent());
        return customerByKey(kind, value).orElseThrow();
    }

    /** The customer (following merges) holding an identity key, if any. */
    protected java.util.Optional<Long> customerByKey(String kind, String value) {
        return jdbc.queryForList("select coalesce(c.merged_into, c.id) from identity_keys k join customers c "
                + "on c.id = k.customer_id where k.kind = ? and k.value = ?", Long.class, kind, value).stream().findFirst();
    }

    /** A customer's touchpoints in timeline order: type, connector, event_id, occurred_at, summary, attributes (JSON text). */
    protected java.util.List<java.util.Map<String, Object>> timeline(long customer) {
        return jdbc.queryForList("select type, connector, event_id, occurred_at, summary, attributes::text as attributes "
                + "from touchpoints where customer_id = ? order by occurred_at, id", customer);
    }

    /** A customer's touchpoint types in timeline order. */
    protected java.util.List<String> types(long customer) {
        return timeline(customer).stream().map(t -> (String) t.get("type")).toList();
    }

    /** The number of customers (not merged away) in the store. */
    protected long customers() {
        return jdbc.queryForObject("select count(*) from customers where merged_into is null", Long.class);
    }
}
