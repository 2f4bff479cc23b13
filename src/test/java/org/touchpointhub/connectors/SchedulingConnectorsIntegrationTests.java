package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** Calendly and Cal.com through {@code /hooks/{id}}: their real samples, refusals and retries. */
class SchedulingConnectorsIntegrationTests extends ConnectorTestSupport {

    @Test // #5
    void calendlyBookingAndCancellationAreTwoTouchpointsOfOnePerson() {
        // given Calendly's invitee.created and invitee.canceled samples for one invitee
        byte[] created = adapted("calendly/invitee.created.json", "betty@rei.com", "betty.booker@example.com",
                "\"utm_source\": null", "\"utm_source\": \"newsletter\"");
        byte[] canceled = adapted("calendly/invitee.canceled.json", "betty@rei.com", "betty.booker@example.com");

        // when Calendly sends them, signed
        assertThat(postCalendly(created, TestSecrets.CALENDLY, now()).statusCode()).isEqualTo(202);
        assertThat(postCalendly(canceled, TestSecrets.CALENDLY, now()).statusCode()).isEqualTo(202);

        // then the invitee has a booking then a cancellation, with the booking page's UTM source
        long customer = awaitCustomer("email", "betty.booker@example.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 2);
        assertThat(types(customer)).containsExactly("meeting_booked", "meeting_canceled");
        assertThat(attributes(timeline(customer).get(0)).path("utm_source").asText()).isEqualTo("newsletter");
        assertThat(timeline(customer).get(0).get("occurred_at").toString()).startsWith("2020-12-22");
        assertThat(golden(customer)).containsEntry("full_name", "Betty");
    }

    @Test // #5
    void calendlyRefusesTamperedWrongSecretAndStaleAndIgnoresARetry() {
        // given a signed booking
        byte[] body = adapted("calendly/invitee.created.json", "betty@rei.com", "betty.retry@example.com");
        long before = eventCount("calendly");

        // when it is tampered with, signed with another key, or signed 10 minutes ago
        var tampered = hooks.post("/hooks/calendly", "application/json", tampered(body),
                Map.of("Calendly-Webhook-Signature", stripeStyle(TestSecrets.CALENDLY, now(), body)));
        var wrong = postCalendly(body, "another-signing-key", now());
        var stale = postCalendly(body, TestSecrets.CALENDLY, now() - 600);

        // then each is refused; the delivery and its retry are one event with one touchpoint
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrong, 401, "bad-signature");
        assertRefused(stale, 400, "stale-timestamp");
        postCalendly(body, TestSecrets.CALENDLY, now());
        postCalendly(body, TestSecrets.CALENDLY, now());
        awaitIdle();
        assertThat(eventCount("calendly")).isEqualTo(before + 1);
        assertThat(types(awaitCustomer("email", "betty.retry@example.com"))).containsExactly("meeting_booked");
    }

    @Test // #5
    void calcomBookingBecomesAMeetingOfTheAttendee() {
        // given Cal.com's documented BOOKING_CREATED payload
        byte[] body = adapted("calcom/BOOKING_CREATED.docs-example.json", "john.doe@example.com", "john.cal@example.com");

        // when Cal.com sends it, signed
        assertThat(postCalcom(body, TestSecrets.CALCOM).statusCode()).isEqualTo(202);

        // then the attendee (not the organizer) has the booking
        long customer = awaitCustomer("email", "john.cal@example.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(timeline(customer)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("meeting_booked");
            assertThat(attributes(t).path("start_time").asText()).isEqualTo("2023-05-25T09:30:00Z");
        });
        assertThat(golden(customer)).containsEntry("full_name", "John Doe");
        assertThat(customerByKey("email", "pro@example.com")).isEmpty();
    }

    @Test // #5
    void calcomRefusesTamperedWrongSecretAndNoSecretProvidedAndIgnoresARetry() {
        // given a booking body (Cal.com signs no timestamp, so there is nothing to be stale)
        byte[] body = adapted("calcom/BOOKING_CREATED.docs-example.json", "john.doe@example.com", "john.retry@example.com");
        long before = eventCount("calcom");

        // when it is tampered with, signed with another secret, or carries the literal of a webhook without secret
        var tampered = hooks.post("/hooks/calcom", "application/json", tampered(body),
                Map.of("X-Cal-Signature-256", hex(TestSecrets.CALCOM, body)));
        var wrong = postCalcom(body, "another-secret");
        var noSecret = hooks.post("/hooks/calcom", "application/json", body, Map.of("X-Cal-Signature-256", "no-secret-provided"));

        // then each is refused; the delivery and its retry are one event
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrong, 401, "bad-signature");
        assertThat(noSecret.statusCode()).isEqualTo(401);
        postCalcom(body, TestSecrets.CALCOM);
        postCalcom(body, TestSecrets.CALCOM);
        awaitIdle();
        assertThat(eventCount("calcom")).isEqualTo(before + 1);
    }
}
