package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** Stripe, Paddle and Chargebee through {@code /hooks/{id}}: their real samples, refusals and retries. */
class BillingConnectorsIntegrationTests extends ConnectorTestSupport {

    private static byte[] stripe(String fixture, String eventId, String customer, String... more) {
        String[] replacements = new String[4 + more.length];
        replacements[0] = "evt_000000000000000000000000";
        replacements[1] = eventId;
        replacements[2] = "cus_00000000000000";
        replacements[3] = customer;
        System.arraycopy(more, 0, replacements, 4, more.length);
        return adapted("stripe/" + fixture, replacements);
    }

    @Test // #5
    void stripeCheckoutSubscriptionAndInvoicesBuildOneBillingTimeline() {
        // given a Stripe customer who pays a checkout, subscribes, pays and fails an invoice, then cancels
        String cus = "cus_billing0001";
        byte[] checkout = stripe("event-checkout.session.completed.json", "evt_bill_1", cus,
                "stripe@example.com", "payer.one@example.com");
        byte[] subscribed = stripe("event-customer.subscription.created.json", "evt_bill_2", cus);
        byte[] paid = stripe("event-invoice.paid.json", "evt_bill_3", cus);
        byte[] failed = stripe("event-invoice.payment_failed.json", "evt_bill_4", cus, "\"created\": 1648320009", "\"created\": 1648330009");
        byte[] canceled = stripe("event-customer.subscription.deleted.json", "evt_bill_5", cus, "\"created\": 1648320097", "\"created\": 1648340097");

        // when Stripe sends them, signed
        for (byte[] body : new byte[][] {checkout, subscribed, paid}) {
            assertThat(postStripe(body, TestSecrets.STRIPE, now()).statusCode()).isEqualTo(202);
        }
        long customer = awaitCustomer("email", "payer.one@example.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 3);

        // then the checkout's email and the subscription's customer id are one person, with amounts in units
        assertThat(customerByKey("ext:stripe", cus)).contains(customer);
        assertThat(types(customer)).containsExactlyInAnyOrder("payment_succeeded", "subscription_started", "payment_succeeded");
        assertThat(timeline(customer)).filteredOn(t -> t.get("type").equals("payment_succeeded"))
                .extracting(t -> attributes(t).path("amount").asText()).containsExactlyInAnyOrder("30.00", "20.00");
        assertThat(golden(customer)).containsEntry("billing_status", "active").containsKey("last_payment_at");

        // and when the invoice fails later and the subscription is canceled
        postStripe(failed, TestSecrets.STRIPE, now());
        assertThat(postStripe(canceled, TestSecrets.STRIPE, now()).statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> types(customer).size() == 5);
        assertThat(types(customer)).endsWith("payment_failed", "subscription_canceled");
        assertThat(golden(customer)).containsEntry("billing_status", "canceled");
    }

    @Test // #5
    void stripeRefusesTamperedWrongSecretAndStaleAndIgnoresARetry() {
        // given a signed customer.updated event
        byte[] body = stripe("event-customer.updated.json", "evt_refuse_1", "cus_refuse0001");

        // when it is tampered with, signed with another secret, or signed 10 minutes ago
        var tampered = hooks.post("/hooks/stripe", "application/json", tampered(body),
                Map.of("Stripe-Signature", stripeStyle(TestSecrets.STRIPE, now(), body)));
        var wrongSecret = postStripe(body, "whsec_someone_else", now());
        var stale = postStripe(body, TestSecrets.STRIPE, now() - 600);

        // then each is refused with its problem type
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrongSecret, 401, "bad-signature");
        assertRefused(stale, 400, "stale-timestamp");

        // and a genuine delivery and Stripe's retry of it give one event and one touchpoint
        assertThat(eventId(postStripe(body, TestSecrets.STRIPE, now()))).isEqualTo("evt_refuse_1");
        assertThat(postStripe(body, TestSecrets.STRIPE, now()).statusCode()).isEqualTo(202);
        awaitIdle();
        assertThat(outcome("stripe", "evt_refuse_1")).isEqualTo("mapped");
        long customer = awaitCustomer("ext:stripe", "cus_refuse0001");
        assertThat(types(customer)).containsExactly("customer_updated");
    }

    @Test // #5
    void stripeEventTypesItDoesNotMapAreSkipped() {
        // given an event type the connector leaves out (Stripe sends invoice.payment_succeeded beside invoice.paid)
        byte[] body = stripe("event-invoice.paid.json", "evt_skip_1", "cus_skip0001",
                "\"type\": \"invoice.paid\"", "\"type\": \"invoice.payment_succeeded\"");

        // when it arrives
        assertThat(postStripe(body, TestSecrets.STRIPE, now()).statusCode()).isEqualTo(202);

        // then it is recorded as skipped, not dead-lettered, and no revenue is counted twice
        assertThat(awaitOutcome("stripe", "evt_skip_1")).isEqualTo("skipped");
        assertThat(customerByKey("ext:stripe", "cus_skip0001")).isEmpty();
    }

    @Test // #5
    void paddleCustomerTrialAndCompletedTransactionJoinOnTheCustomerId() {
        // given Paddle's real customer.created body, its subscription.trialing sample and a completed transaction
        String ctm = "ctm_01hs0tqf76sxmp7ba5e4mw1sc8";
        byte[] created = fixture("paddle/customer.created.signed-body.json");
        byte[] trialing = adapted("paddle/subscription.trialing.notification-payload.json",
                "ctm_01h84cjfwmdph1k8kgsyjt3k7g", ctm);
        byte[] completed = adapted("paddle/transaction.created.notification-payload.json",
                "\"customer_id\": null", "\"customer_id\": \"" + ctm + "\"",
                "\"event_type\": \"transaction.created\"", "\"event_type\": \"transaction.completed\"");

        // when Paddle sends them, signed now
        for (byte[] body : new byte[][] {created, trialing, completed}) {
            assertThat(postPaddle(body, TestSecrets.PADDLE, now()).statusCode()).isEqualTo(202);
        }

        // then one customer, found by email and by Paddle id, has the three touchpoints and the revenue
        long customer = awaitCustomer("email", "blackhole+verification2@paddle.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 3);
        assertThat(customerByKey("ext:paddle", ctm)).contains(customer);
        assertThat(types(customer)).containsExactlyInAnyOrder("customer_updated", "subscription_changed", "payment_succeeded");
        assertThat(timeline(customer)).filteredOn(t -> t.get("type").equals("payment_succeeded"))
                .singleElement().satisfies(t -> assertThat(attributes(t).path("amount").asText()).isEqualTo("718.80"));
        assertThat(golden(customer)).containsEntry("full_name", "John Doe").containsKey("last_payment_at");
    }

    @Test // #5
    void paddleRefusesTamperedWrongSecretAndStaleAndIgnoresARetry() {
        // given Paddle's real customer.created body (with non-ASCII escapes, verified as sent)
        byte[] body = fixture("paddle/customer.created.unicode-escapes.signed-body.json");
        long before = eventCount("paddle");

        // when it is tampered with, signed with another secret, or signed a minute ago (Paddle allows 5 s)
        var tampered = hooks.post("/hooks/paddle", "application/json", tampered(body), Map.of("Paddle-Signature",
                "ts=" + now() + ";h1=" + hex(TestSecrets.PADDLE, concat(utf8(now() + ":"), body))));
        var wrongSecret = postPaddle(body, "pdl_ntfset_other", now());
        var stale = postPaddle(body, TestSecrets.PADDLE, now() - 60);

        // then each is refused, and a delivery plus its retry is one event
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrongSecret, 401, "bad-signature");
        assertRefused(stale, 400, "stale-timestamp");
        String id = eventId(postPaddle(body, TestSecrets.PADDLE, now()));
        assertThat(postPaddle(body, TestSecrets.PADDLE, now()).statusCode()).isEqualTo(202);
        awaitIdle();
        assertThat(outcome("paddle", id)).isEqualTo("mapped");
        assertThat(eventCount("paddle")).isEqualTo(before + 1);
    }

    @Test // #5
    void chargebeeCustomerAndPaymentArriveWithBasicAuth() {
        // given Chargebee's customer_created sample and its SDK's payment_succeeded sample
        byte[] created = fixture("chargebee/event.customer_created.json");
        byte[] payment = fixture("chargebee/event.payment_succeeded.sdk-sample.json");

        // when Chargebee sends them with the configured Basic credentials
        assertThat(postBasic("chargebee", created, TestSecrets.CHARGEBEE_USER, TestSecrets.CHARGEBEE_PASSWORD).statusCode()).isEqualTo(202);
        assertThat(postBasic("chargebee", payment, TestSecrets.CHARGEBEE_USER, TestSecrets.CHARGEBEE_PASSWORD).statusCode()).isEqualTo(202);

        // then the payer is a customer with the payment's amount and last payment time
        long payer = awaitCustomer("email", "rr@chargebee.com");
        await().atMost(WAIT).until(() -> types(payer).size() == 1);
        assertThat(customerByKey("ext:chargebee", "8avPlNabxST86")).contains(payer);
        assertThat(timeline(payer)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("payment_succeeded");
            assertThat(attributes(t).path("amount").asText()).isEqualTo("9.00");
        });
        assertThat(golden(payer)).containsEntry("last_payment_at", "2012-06-17T16:40:49Z");
        long other = awaitCustomer("ext:chargebee", "__test__KyVnHhSBWm4tg2rq");
        assertThat(types(other)).containsExactly("customer_updated");
    }

    @Test // #5
    void chargebeeRefusesWrongOrMissingCredentialsAndIgnoresARetry() {
        // given the payment sample
        byte[] payment = fixture("chargebee/event.payment_succeeded.sdk-sample.json");

        // when it comes with a wrong password or none (Basic auth covers no body and no time: nothing else to check)
        var wrong = postBasic("chargebee", payment, TestSecrets.CHARGEBEE_USER, "guess");
        var none = hooks.post("/hooks/chargebee", "application/json", payment, Map.of());

        // then both are refused; the genuine event posted twice is one event
        assertRefused(wrong, 401, "bad-signature");
        assertRefused(none, 401, "missing-signature");
        postBasic("chargebee", payment, TestSecrets.CHARGEBEE_USER, TestSecrets.CHARGEBEE_PASSWORD);
        postBasic("chargebee", payment, TestSecrets.CHARGEBEE_USER, TestSecrets.CHARGEBEE_PASSWORD);
        awaitIdle();
        assertThat(jdbc.queryForObject("select count(*) from touchpoints where connector = 'chargebee' and event_id = 'ev_HoR7OrcNacEsxgT'",
                Long.class)).isEqualTo(1);
    }
}
