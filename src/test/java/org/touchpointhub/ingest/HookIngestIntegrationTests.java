package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

class HookIngestIntegrationTests extends HubIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext context;

    static byte[] fixture(String path) {
        try (InputStream in = HookIngestIntegrationTests.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Typeform sample with another event id and email, so tests don't share customers. */
    static byte[] typeformFor(String eventId, String email) {
        String s = new String(fixture("typeform/form_response.docs-example-2018.json"), StandardCharsets.UTF_8)
                .replace("LtWXD3crgy", eventId).replace("laura@example.com", email);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test // #3
    void signedTypeformSampleBecomesOneCustomerWithOneTouchpoint() throws Exception {
        byte[] body = typeformFor("tf-first-1", "first.person@example.com");

        var response = hooks.typeform(body, TestSecrets.TYPEFORM);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("eventId").asText()).isEqualTo("tf-first-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.customersByEmail("first.person@example.com").size() == 1);
        JsonNode customer = admin.customersByEmail("First.Person@Example.com").get(0);
        assertThat(customer.path("touchpoints").asInt()).isEqualTo(1);
        JsonNode detail = admin.get("/admin/customers/" + customer.path("id").asLong());
        assertThat(detail.path("timeline")).singleElement().satisfies(t -> {
            assertThat(t.path("type").asText()).isEqualTo("form_submitted");
            assertThat(t.path("occurredAt").asText()).startsWith("2018-01-18");
        });
        assertThat(detail.path("identityKeys").toString()).contains("first.person@example.com");
    }

    @Test // #7
    void theAcceptedAnswerIsA202WithAJsonBodyOfExactlyItsLengthAndNoMethodValidationRunsPerRequest() throws Exception {
        // the edge writes its 202 itself (no message converters): the wire form must stay what senders read
        var response = hooks.typeform(typeformFor("tf-wire-\\\"1", "wire.person@example.com"), TestSecrets.TYPEFORM);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(JSON.readTree(bytes).path("eventId").asText()).isEqualTo("tf-wire-\"1");
        // no Bean Validation (NoMethodValidation): with it, Spring MVC scanned the handler's annotations for
        // validation groups on every webhook (a few per cent of the edge threads' samples), for no constraint
        assertThat(org.springframework.test.util.ReflectionTestUtils.getField(context.getBean(
                org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.class), "methodValidator"))
                .as("Spring MVC's per-request method validator").isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.customersByEmail("wire.person@example.com").size() == 1);
    }

    @Test // #3
    void theSameEventPostedTwiceGivesOneTouchpoint() {
        byte[] body = typeformFor("tf-dup-1", "dup.person@example.com");

        assertThat(hooks.typeform(body, TestSecrets.TYPEFORM).statusCode()).isEqualTo(202);
        assertThat(hooks.typeform(body, TestSecrets.TYPEFORM).statusCode()).isEqualTo(202);
        awaitIdle();

        assertThat(jdbc.queryForObject("select count(*) from touchpoints where customer_id in "
                + "(select customer_id from identity_keys where kind = 'email' and value = 'dup.person@example.com')", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from events where event_id = 'tf-dup-1'", Long.class)).isEqualTo(1);
    }

    @Test // #3
    void twoEventsOfOnePersonWithEmailInAnotherCaseAndPhoneWrittenAnotherWayGiveOneCustomer() {
        String first = "event_id=w-1&email=Mixed.Case%40Example.com&phone=%2B1+415+555+0100&first_name=Ann&last_name=Lee";
        String second = "event_id=w-2&email=mixed.case%40example.COM&phone=(415)+555-0100&company=Acme";

        var a = hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                first.getBytes(StandardCharsets.UTF_8), Map.of());
        var b = hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                second.getBytes(StandardCharsets.UTF_8), Map.of());
        awaitIdle();

        assertThat(a.statusCode()).isEqualTo(202);
        assertThat(b.statusCode()).isEqualTo(202);
        JsonNode found = admin.customersByEmail("MIXED.case@example.com");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("touchpoints").asInt()).as(() -> "timeline: " + jdbc.queryForList(
                "select t.connector, t.event_id, t.type, t.touchpoint_key from touchpoints t where t.customer_id = ?",
                found.get(0).path("id").asLong()) + " decisions: " + jdbc.queryForList("select record_key, decision, candidate_id, "
                + "explanation::text from match_decisions where customer_id = ?", found.get(0).path("id").asLong())).isEqualTo(2);
        assertThat(found.get(0).path("golden").path("phone").asText()).isEqualTo("+14155550100");
        assertThat(admin.get("/admin/customers?phone=" + "415-555-0100").path("customers")).hasSize(1);
    }
}
