package org.touchpointhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.touchpointhub.bench.SalesforceDouble;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/**
 * Base of the end-to-end delivery tests: the whole hub in Salesforce mode, logging in to one stateful
 * {@link SalesforceDouble} on loopback that lives as long as the (shared) Spring context. Back-off and batching
 * settings are short so outages pass in milliseconds, not minutes.
 */
abstract class SalesforceDeliveryIntegrationTest extends HubIntegrationTest {

    /** Started before the context, so the hub's login URL points at it. */
    protected static final SalesforceDouble salesforce = SalesforceDouble.start();

    /** Salesforce mode against a double, logging in with {@code password}; no shared pollers in this context. */
    static void salesforceLogin(DynamicPropertyRegistry registry, SalesforceDouble sf, String password) {
        withoutSharedPollers(registry);
        registry.add("hub.crm.kind", () -> "salesforce");
        registry.add("camel.component.salesforce.login-url", sf::url);
        registry.add("camel.component.salesforce.client-id", () -> SalesforceDouble.CLIENT_ID);
        registry.add("camel.component.salesforce.client-secret", () -> SalesforceDouble.CLIENT_SECRET);
        registry.add("camel.component.salesforce.user-name", () -> SalesforceDouble.USER_NAME);
        registry.add("camel.component.salesforce.password", () -> password);
        registry.add("camel.component.salesforce.lazy-login", () -> "true");
    }

    @DynamicPropertySource
    static void salesforceMode(DynamicPropertyRegistry registry) {
        salesforceLogin(registry, salesforce, SalesforceDouble.PASSWORD);
        // Batches wait 2 s for company here (1 s by default): this test JVM shares 2 cores with several hub contexts,
        // so events are processed slower than on a dedicated host; the figures at the default 1 s come from the bench
        // harness (java -jar target/touchpoint-hub.jar bench), which quotes calls per 1,000 touchpoints.
        registry.add("hub.crm.delivery.max-wait", () -> "2s");
        registry.add("hub.crm.delivery.poll-interval", () -> "100ms");
        registry.add("hub.crm.delivery.backoff-initial", () -> "100ms");
        registry.add("hub.crm.delivery.backoff-max", () -> "800ms");
        registry.add("hub.crm.delivery.retry-delay", () -> "200ms");
        registry.add("hub.crm.delivery.usage-pause", () -> "500ms");
        registry.add("hub.crm.delivery.lease", () -> "30s");
    }

    @BeforeEach
    void quietSalesforce() {
        // whatever an earlier test left in flight is delivered before this one counts calls
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> outboxDepth() == 0);
        salesforce.recover();
        salesforce.allocation(1_000_000, 0);
    }

    protected long outboxDepth() {
        return jdbc.queryForObject("select count(*) from outbox", Long.class);
    }

    /** Posts the web form of one person; answers the HTTP status. */
    protected int webform(String submissionId, String email, String firstName, String lastName, String company) {
        String body = "submission_id=" + enc(submissionId) + "&email=" + enc(email) + "&first_name=" + enc(firstName)
                + "&last_name=" + enc(lastName) + (company == null ? "" : "&company=" + enc(company))
                + "&job_title=" + enc("Buyer") + "&country=" + enc("Germany");
        return hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), Map.of()).statusCode();
    }

    /** The Typeform sample with another event id and email. */
    protected int typeform(String eventId, String email) {
        String sample = new String(fixture("typeform/form_response.docs-example-2018.json"), StandardCharsets.UTF_8)
                .replace("LtWXD3crgy", eventId).replace("laura@example.com", email);
        return hooks.typeform(sample.getBytes(StandardCharsets.UTF_8), TestSecrets.TYPEFORM).statusCode();
    }

    /** Runs the posts on 8 client threads (as many vendors would), answering every HTTP status. */
    protected List<Integer> postAll(List<Callable<Integer>> posts) {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : clients.invokeAll(posts)) {
                statuses.add(f.get());
            }
            return statuses;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            clients.shutdownNow();
        }
    }

    /** The hub's customer id for a (normalized) email. */
    protected long customerId(String email) {
        return jdbc.queryForObject("select coalesce(c.merged_into, c.id) from identity_keys k join customers c "
                + "on c.id = k.customer_id where k.kind = 'email' and k.value = ?", Long.class, email);
    }

    /** Contacts in the double whose email starts with this prefix. */
    protected List<Map<String, Object>> contactsWithEmail(String prefix) {
        return salesforce.records("Contact").stream()
                .filter(c -> String.valueOf(c.get("Email")).startsWith(prefix)).toList();
    }

    /** Tasks in the double that belong to these Contacts. */
    protected List<Map<String, Object>> tasksOf(List<Map<String, Object>> contacts) {
        var ids = contacts.stream().map(c -> c.get("Id")).toList();
        return salesforce.records("Task").stream().filter(t -> ids.contains(t.get("WhoId"))).toList();
    }

    /** Open delivery dead letters of customers whose email starts with this prefix. */
    protected long deadLettersFor(String prefix) {
        return jdbc.queryForObject("select count(*) from dead_letters d where d.stage = 'deliver' and d.customer_id in "
                + "(select customer_id from identity_keys where kind = 'email' and value like ?)", Long.class, prefix + "%");
    }

    /** Touchpoints of those customers not yet written to the CRM. */
    protected long undelivered(String prefix) {
        return jdbc.queryForObject("select count(*) from touchpoints where delivered_at is null and customer_id in "
                + "(select customer_id from identity_keys where kind = 'email' and value like ?)", Long.class, prefix + "%");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String path) {
        try (InputStream in = SalesforceDeliveryIntegrationTest.class.getResourceAsStream("/fixtures/" + path)) {
            assertThat(in).as("fixture " + path).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
