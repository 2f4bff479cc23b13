package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** The acceptance of #5: one person through four channels is one customer with four touchpoints in order. */
class CrossChannelIntegrationTests extends ConnectorTestSupport {

    @Test // #5
    void typeformCalendlyStripeAndTwilioMakeOneCustomerWithFourTouchpointsInOrder() {
        // given one person's real vendor samples, adapted to share her email and phone
        String email = "dana.cross@example.com";
        byte[] typeform = adapted("typeform/form_response.docs-example-2018.json",
                "laura@example.com", email, "LtWXD3crgy", "tf-cross-1");
        byte[] calendly = adapted("calendly/invitee.created.json", "betty@rei.com", email,
                "\"text_reminder_number\": null", "\"text_reminder_number\": \"+1 415 555 0123\"");
        byte[] stripe = adapted("stripe/event-checkout.session.completed.json", "evt_000000000000000000000000", "evt_cross_1",
                "cus_00000000000000", "cus_cross0001", "stripe@example.com", email);
        byte[] call = adapted("twilio/voice-status-callback-completed.form.txt",
                "Direction=outbound-api", "Direction=inbound", "From=%2B16466063895", "From=%2B14155550123",
                "CAbe982f58915a2def4cf7aaa1f1766236", "CAcross1", "25%20Mar%202018", "26%20Mar%202023");

        // when the four vendors post them, in this order
        assertThat(hooks.typeform(typeform, TestSecrets.TYPEFORM).statusCode()).isEqualTo(202);
        assertThat(postCalendly(calendly, TestSecrets.CALENDLY, now()).statusCode()).isEqualTo(202);
        assertThat(postStripe(stripe, TestSecrets.STRIPE, now()).statusCode()).isEqualTo(202);
        awaitIdle();
        assertThat(postTwilio("twilio-voice", call, TestSecrets.TWILIO).statusCode()).isEqualTo(202);

        // then one customer holds the email, the phone and the Stripe id, with the four touchpoints in order
        long customer = awaitCustomer("email", email);
        await().atMost(WAIT).until(() -> types(customer).size() == 4);
        assertThat(customerByKey("phone", "+14155550123")).contains(customer);
        assertThat(customerByKey("ext:stripe", "cus_cross0001")).contains(customer);
        assertThat(timeline(customer)).extracting(t -> t.get("connector") + ":" + t.get("type")).containsExactly(
                "typeform:form_submitted", "calendly:meeting_booked", "stripe:payment_succeeded", "twilio-voice:call_inbound");
        assertThat(admin.customersByEmail(email)).hasSize(1);
    }
}
