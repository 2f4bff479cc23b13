package org.touchpointhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.touchpointhub.bench.SalesforceDouble;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/** The hub configured with a wrong Salesforce password: it starts, accepts events, and shows the CRM as down. */
class SalesforceWrongLoginIntegrationTests extends HubIntegrationTest {

    static final SalesforceDouble salesforce = SalesforceDouble.start();

    @DynamicPropertySource
    static void wrongPassword(DynamicPropertyRegistry registry) {
        SalesforceDeliveryIntegrationTest.salesforceLogin(registry, salesforce, "wrong-password");
        registry.add("hub.crm.delivery.backoff-initial", () -> "100ms");
        registry.add("hub.crm.delivery.backoff-max", () -> "400ms");
    }

    @Test // #4
    void wrongLoginKeepsAcceptingEventsShowsTheCrmDownAndKeepsThemInTheOutbox() {
        // given
        String body = "submission_id=wrong-1&email=" + "wrong.login%40acme-wl.test&last_name=Login";

        // when
        int status = hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), Map.of()).statusCode();
        awaitIdle();
        await().atMost(Duration.ofSeconds(10)).until(() -> crmHealth().path("status").asText().equals("DOWN"));

        // then
        assertThat(status).isEqualTo(202);
        assertThat(crmHealth().path("details").path("lastError").asText())
                .isEqualTo("Salesforce login failed at " + salesforce.url() + ": invalid_grant authentication failure");
        assertThat(jdbc.queryForObject("select count(*) from outbox", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from dead_letters", Long.class)).isZero();
        assertThat(salesforce.logins()).isZero();
        assertThat(salesforce.records("Contact")).isEmpty();
    }

    private JsonNode crmHealth() {
        return admin.get("/actuator/health").path("components").path("crm");
    }
}
