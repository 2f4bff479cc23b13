package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** Twilio Voice status callbacks and incoming Twilio SMS through {@code /hooks/{id}}. */
class PhoneConnectorsIntegrationTests extends ConnectorTestSupport {

    private static final String CALL = "twilio/voice-status-callback-completed.form.txt";

    @Test // #5
    void completedOutboundCallIsACallOutboundOfTheCalledPerson() {
        // given Twilio's captured status callback of a completed outbound call
        byte[] body = fixture(CALL);

        // when Twilio posts it, signed over the URL it called and the sorted parameters
        assertThat(postTwilio("twilio-voice", body, TestSecrets.TWILIO).statusCode()).isEqualTo(202);

        // then the called number is a customer with one outbound call, its duration and outcome
        long customer = awaitCustomer("phone", "+551135892112");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(timeline(customer)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("call_outbound");
            assertThat(t.get("occurred_at").toString()).startsWith("2018-03-25");
            assertThat(attributes(t).path("duration").asText()).isEqualTo("49");
            assertThat(attributes(t).path("outcome").asText()).isEqualTo("completed");
            assertThat(attributes(t).path("direction").asText()).isEqualTo("outbound-api");
        });
    }

    @Test // #5
    void unansweredInboundCallIsMissedAndRingingIsSkipped() {
        // given the same callback for an inbound call from another number that nobody answered, and one still ringing
        byte[] missed = adapted(CALL, "Direction=outbound-api", "Direction=inbound", "CallStatus=completed",
                "CallStatus=no-answer", "%2B16466063895", "%2B16466060001", "CAbe982f58915a2def4cf7aaa1f1766236", "CAmissed1");
        byte[] ringing = adapted(CALL, "Direction=outbound-api", "Direction=inbound", "CallStatus=completed",
                "CallStatus=ringing", "%2B16466063895", "%2B16466060001", "CAbe982f58915a2def4cf7aaa1f1766236", "CAmissed1");

        // when Twilio posts both
        String ringingId = eventId(postTwilio("twilio-voice", ringing, TestSecrets.TWILIO));
        assertThat(postTwilio("twilio-voice", missed, TestSecrets.TWILIO).statusCode()).isEqualTo(202);

        // then the caller has one missed call and the ringing status is recorded as skipped
        long caller = awaitCustomer("phone", "+16466060001");
        await().atMost(WAIT).until(() -> types(caller).size() == 1);
        assertThat(types(caller)).containsExactly("call_missed");
        assertThat(awaitOutcome("twilio-voice", ringingId)).isEqualTo("skipped");
    }

    @Test // #5
    void twilioRefusesTamperedAndWrongTokenAndIgnoresARetry() {
        // given a callback (Twilio signs no timestamp, so nothing can be stale)
        byte[] body = adapted(CALL, "%2B551135892112", "%2B551135890002", "CAbe982f58915a2def4cf7aaa1f1766236", "CAretry1");
        String url = hooks.base() + "/hooks/twilio-voice";

        // when a parameter is changed after signing, or it is signed with another token
        var tampered = hooks.post("/hooks/twilio-voice", "application/x-www-form-urlencoded",
                adapted(CALL, "%2B551135892112", "%2B551135890003", "CAbe982f58915a2def4cf7aaa1f1766236", "CAretry1"),
                Map.of("X-Twilio-Signature", twilioSignature(TestSecrets.TWILIO, url, body)));
        var wrong = postTwilio("twilio-voice", body, "another-auth-token");

        // then both are refused; the callback and its retry are one touchpoint
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrong, 401, "bad-signature");
        postTwilio("twilio-voice", body, TestSecrets.TWILIO);
        postTwilio("twilio-voice", body, TestSecrets.TWILIO);
        awaitIdle();
        assertThat(types(awaitCustomer("phone", "+551135890002"))).containsExactly("call_outbound");
    }

    @Test // #5
    void incomingSmsIsAnSmsReceivedAndStatusCallbacksAreSkipped() {
        // given Twilio's incoming message and a status callback of a sent one
        byte[] incoming = fixture("twilio/sms-incoming.form.txt");
        byte[] sent = fixture("twilio/sms-status-sent.form.txt");

        // when Twilio posts them, signed, and retries the incoming one
        assertThat(postTwilio("twilio-sms", incoming, TestSecrets.TWILIO).statusCode()).isEqualTo(202);
        assertThat(postTwilio("twilio-sms", incoming, TestSecrets.TWILIO).statusCode()).isEqualTo(202);
        String sentId = eventId(postTwilio("twilio-sms", sent, TestSecrets.TWILIO));

        // then the sender has one sms_received with the text; the status callback is skipped
        long sender = awaitCustomer("phone", "+13177592786");
        await().atMost(WAIT).until(() -> types(sender).size() == 1);
        assertThat(timeline(sender)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("sms_received");
            assertThat(t.get("summary")).isEqualTo("Hi there from Twilio");
        });
        assertThat(awaitOutcome("twilio-sms", sentId)).isEqualTo("skipped");
        assertRefused(postTwilio("twilio-sms", incoming, "another-auth-token"), 401, "bad-signature");
    }
}
