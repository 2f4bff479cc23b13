package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** Mailchimp, SendGrid and Mailgun through {@code /hooks/{id}}: their real samples, refusals and retries. */
class EmailConnectorsIntegrationTests extends ConnectorTestSupport {

    private static final String SENDGRID_SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    private static final String SENDGRID_TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";

    private HttpResponse<String> postMailchimp(byte[] form, String token) {
        return hooks.post("/hooks/mailchimp" + (token == null ? "" : "?token=" + token),
                "application/x-www-form-urlencoded", form, Map.of());
    }

    /** One of Mailchimp's documented events as the form body it is sent as. */
    private static byte[] mailchimpDocs(String type, String... replacements) throws Exception {
        JsonNode pairs = JSON.readTree(fixture("mailchimp/docs-examples.fields.json")).path(type);
        List<String> flat = new ArrayList<>();
        pairs.forEach(p -> flat.add(p.get(0).asText()) );
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            String value = pairs.get(i).get(1).asText();
            for (int r = 0; r < replacements.length; r += 2) {
                value = value.replace(replacements[r], replacements[r + 1]);
            }
            out.add(flat.get(i));
            out.add(value);
        }
        return utf8(form(out.toArray(String[]::new)));
    }

    @Test // #5
    void mailchimpSubscribeUnsubscribeCleanedAndEmailChangeAreMapped() throws Exception {
        // given Mailchimp's captured subscribe and unsubscribe bodies and its documented cleaned and upemail events
        byte[] subscribe = fixture("mailchimp/subscribe.form.txt");
        byte[] unsubscribe = fixture("mailchimp/unsubscribe.form.txt");
        byte[] cleaned = mailchimpDocs("cleaned");
        byte[] upemail = mailchimpDocs("upemail");
        byte[] campaign = mailchimpDocs("campaign");

        // when Mailchimp posts them with the token in the URL
        for (byte[] body : new byte[][] {subscribe, unsubscribe, cleaned, upemail}) {
            assertThat(postMailchimp(body, TestSecrets.MAILCHIMP).statusCode()).isEqualTo(202);
        }
        String campaignId = eventId(postMailchimp(campaign, TestSecrets.MAILCHIMP));

        // then the subscriber is subscribed with a name, the unsubscriber opted out, the cleaned address is invalid
        long subscriber = awaitCustomer("email", "agentsmith@snowplowtest.com");
        await().atMost(WAIT).until(() -> types(subscriber).size() == 1);
        assertThat(types(subscriber)).containsExactly("subscribed");
        assertThat(golden(subscriber)).containsEntry("first_name", "Agent").containsEntry("last_name", "Smith")
                .containsEntry("email_opt_out", "false");
        long unsubscriber = awaitCustomer("email", "josh@snowplowanalytics.com");
        await().atMost(WAIT).until(() -> golden(unsubscriber).containsKey("email_opt_out"));
        assertThat(types(unsubscriber)).containsExactly("unsubscribed");
        assertThat(golden(unsubscriber)).containsEntry("email_opt_out", "true");
        long cleanedOne = awaitCustomer("email", "api+cleaned@mailchimp.com");
        await().atMost(WAIT).until(() -> golden(cleanedOne).containsKey("email_invalid"));
        assertThat(types(cleanedOne)).containsExactly("email_bounced");
        assertThat(golden(cleanedOne)).containsEntry("email_invalid", "true");
        long changed = awaitCustomer("email", "api+new@mailchimp.com");
        assertThat(attributes(timeline(changed).get(0)).path("old_email").asText()).isEqualTo("api+old@mailchimp.com");
        // and a campaign notice, not about a person, is recorded as skipped
        assertThat(awaitOutcome("mailchimp", campaignId)).isEqualTo("skipped");
    }

    @Test // #5
    void mailchimpUrlCheckIsAnsweredAndAWrongOrMissingTokenIsRefusedAndARetryChangesNothing() throws Exception {
        // given the subscribe body
        byte[] body = mailchimpDocs("subscribe", "api@mailchimp.com", "api.retry@mailchimp.com");

        // when Mailchimp checks the URL with a GET, and bodies come with a wrong token or none
        var check = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hooks.base() + "/hooks/mailchimp?token="
                + TestSecrets.MAILCHIMP)).GET().build(), HttpResponse.BodyHandlers.ofString());
        var wrong = postMailchimp(body, "guess");
        var none = postMailchimp(body, null);

        // then the check gets 200, the others their problems; the same body twice is one event
        assertThat(check.statusCode()).isEqualTo(200);
        assertRefused(wrong, 401, "bad-signature");
        assertRefused(none, 401, "missing-signature");
        String first = eventId(postMailchimp(body, TestSecrets.MAILCHIMP));
        String again = eventId(postMailchimp(body, TestSecrets.MAILCHIMP));
        assertThat(again).isEqualTo(first);
        awaitIdle();
        assertThat(types(awaitCustomer("email", "api.retry@mailchimp.com"))).containsExactly("subscribed");
    }

    /** SendGrid's signed two-event test vector: processed + bounce (type blocked), CRLF after each event. */
    private static JsonNode sendgridVector() throws Exception {
        return JSON.readTree(fixture("sendgrid/signature-test-vectors.json")).path("cases").get(1);
    }

    private HttpResponse<String> postSendgrid(byte[] body, String timestamp, String signature) {
        return hooks.post("/hooks/sendgrid", "application/json", body,
                Map.of(SENDGRID_TIMESTAMP, timestamp, SENDGRID_SIGNATURE, signature));
    }

    @Test // #5
    void sendgridSignedBatchMapsTheBounceAndSkipsTheBookkeepingEvent() throws Exception {
        // given SendGrid's signed test body: a processed event and a bounce of type blocked
        JsonNode vector = sendgridVector();
        byte[] batch = fixture("sendgrid/events-processed-bounce.signed-body.json");

        // when it arrives with SendGrid's own signature
        String id = eventId(postSendgrid(batch, vector.path("timestamp").asText(), vector.path("signature").asText()));

        // then the bounce is a touchpoint of its own, keyed by its sg_event_id, and a soft one (the address stays
        // valid); "processed" is SendGrid's bookkeeping and maps to nothing
        long customer = awaitCustomer("email", "invalid@gmail.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(timeline(customer)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("email_bounced");
            assertThat(attributes(t).path("bounce_type").asText()).isEqualTo("soft");
        });
        assertThat(jdbc.queryForObject("select touchpoint_key from touchpoints where connector = 'sendgrid'", String.class))
                .isEqualTo("sendgrid:" + id + "#Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w");
        assertThat(golden(customer)).doesNotContainKey("email_invalid");
    }

    @Test // #5
    void sendgridRefusesTamperedAndForeignKeySignaturesAndIgnoresARetry() throws Exception {
        // given the signed batch, and a P-256 key that is not SendGrid's
        JsonNode vector = sendgridVector();
        byte[] body = fixture("sendgrid/events-processed-bounce.signed-body.json");
        String timestamp = vector.path("timestamp").asText();
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(generator.generateKeyPair().getPrivate());
        signer.update(concat(utf8(timestamp), body));
        String foreign = Base64.getEncoder().encodeToString(signer.sign());

        // when the body is altered, or signed with the other key (SendGrid sets no time window: nothing is stale)
        var tampered = postSendgrid(tampered(body), timestamp, vector.path("signature").asText());
        var wrongKey = postSendgrid(body, timestamp, foreign);

        // then both are refused; the genuine body twice is one event
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrongKey, 401, "bad-signature");
        String first = eventId(postSendgrid(body, timestamp, vector.path("signature").asText()));
        String again = eventId(postSendgrid(body, timestamp, vector.path("signature").asText()));
        assertThat(again).isEqualTo(first);
        awaitIdle();
        assertThat(jdbc.queryForObject("select count(*) from touchpoints where connector = 'sendgrid'", Long.class)).isEqualTo(1);
    }

    @Test // #5
    void mailgunEventsMapToTheEmailTimelineAndMarkComplaintsAndHardBounces() {
        // given Mailgun's sample event data for one recipient, each with a fresh signature
        String[][] samples = {
                {"event-data.delivered-real.json", "teste@gmail.com", "ygUgVAPxQg-_R91xfiUJrg", "mg-1"},
                {"event-data.opened.json", "alice@example.com", "Ase7i2zsRYeDXztHGENqRA", "mg-2"},
                {"event-data.clicked.json", "alice@example.com", "Ase7i2zsRYeDXztHGENqRA", "mg-3"},
                {"event-data.failed-permanent.json", "alice@example.com", "G9Bn5sl1TC6nu79C8C0bwg", "mg-4"},
                {"event-data.complained.json", "alice@example.com", "-Agny091SquKnsrW2NEKUA", "mg-5"},
                {"event-data.unsubscribed.json", "alice@example.com", "Ase7i2zsRYeDXztHGENqRA", "mg-6"}};

        // when Mailgun posts them
        for (String[] s : samples) {
            byte[] data = adapted("mailgun/" + s[0], s[1], "mail.gun@example.com", s[2], s[3]);
            var response = hooks.post("/hooks/mailgun", "application/json",
                    mailgunBody(data, TestSecrets.MAILGUN, now(), "token-" + s[3]), Map.of());
            assertThat(response.statusCode()).as(s[0]).isEqualTo(202);
        }

        // then the recipient has all six, and the complaint and permanent failure mark the address invalid
        long customer = awaitCustomer("email", "mail.gun@example.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 6);
        assertThat(types(customer)).containsExactlyInAnyOrder("email_delivered", "email_opened", "email_clicked",
                "email_bounced", "email_complained", "unsubscribed");
        assertThat(golden(customer)).containsEntry("email_invalid", "true").containsEntry("email_opt_out", "true");
    }

    @Test // #5
    void mailgunRefusesForgedWrongKeyStaleAndReplayedAndIgnoresARetry() {
        // given one delivered event
        byte[] data = adapted("mailgun/event-data.delivered-real.json", "teste@gmail.com", "mg.retry@example.com",
                "ygUgVAPxQg-_R91xfiUJrg", "mg-retry-1");
        byte[] genuine = mailgunBody(data, TestSecrets.MAILGUN, now(), "token-retry-a");
        byte[] forged = new String(genuine, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\"signature\":\"[0-9a-f]",
                "\"signature\":\"x").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // when the signature is forged, made with another key, or old
        var tampered = hooks.post("/hooks/mailgun", "application/json", forged, Map.of());
        var wrong = hooks.post("/hooks/mailgun", "application/json", mailgunBody(data, "other-key", now(), "token-retry-b"), Map.of());
        var stale = hooks.post("/hooks/mailgun", "application/json",
                mailgunBody(data, TestSecrets.MAILGUN, now() - 900, "token-retry-c"), Map.of());

        // then each is refused; the genuine request is accepted once and refused when replayed
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrong, 401, "bad-signature");
        assertRefused(stale, 400, "stale-timestamp");
        assertThat(eventId(hooks.post("/hooks/mailgun", "application/json", genuine, Map.of()))).isEqualTo("mg-retry-1");
        assertRefused(hooks.post("/hooks/mailgun", "application/json", genuine, Map.of()), 401, "replayed-request");
        // and Mailgun's own retry (same event, new token) changes nothing
        assertThat(hooks.post("/hooks/mailgun", "application/json",
                mailgunBody(data, TestSecrets.MAILGUN, now(), "token-retry-d"), Map.of()).statusCode()).isEqualTo(202);
        awaitIdle();
        assertThat(types(awaitCustomer("email", "mg.retry@example.com"))).containsExactly("email_delivered");
    }
}
