package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** Jotform (multipart, answers as JSON inside a field) and the generic Standard Webhooks connector. */
class FormAndGenericConnectorsIntegrationTests extends ConnectorTestSupport {

    private static final String JOTFORM = "jotform/webhook.fields.captured-2017.json";

    /** Jotform's captured fields with another submission id and a rawRequest as today's forms send it. */
    private static Map<String, String> jotformWithContact(String submissionId, String email, String phone) {
        Map<String, String> fields = new LinkedHashMap<>(fields(fixture(JOTFORM)));
        fields.put("submissionID", submissionId);
        fields.put("rawRequest", fields.get("rawRequest").replace("\"q71_organization\":\"a\"",
                "\"q71_organization\":\"Acme Venues\",\"q3_name\":{\"first\":\"Britney\",\"last\":\"Jones\"},"
                        + "\"q4_email\":\"" + email + "\",\"q5_phoneNumber\":{\"full\":\"" + phone + "\"},"
                        + "\"q80_utm_source\":\"google\",\"q81_utm_campaign\":\"spring\""));
        return fields;
    }

    private java.net.http.HttpResponse<String> postJotform(Map<String, String> fields, String token) {
        Object[] multipart = multipart(fields);
        return hooks.post("/hooks/jotform" + (token == null ? "" : "?token=" + token), (String) multipart[0],
                (byte[]) multipart[1], Map.of());
    }

    @Test // #5
    void jotformCapturedSubmissionIsAFormSubmitted() {
        // given the fields of a real Jotform webhook, posted as multipart/form-data as Jotform does
        Map<String, String> fields = fields(fixture(JOTFORM));

        // when it arrives with the token
        String eventId = eventId(postJotform(fields, TestSecrets.JOTFORM));

        // then it is one form_submitted touchpoint of the form, keyed by the submission id
        assertThat(eventId).isEqualTo("3835009994173346677");
        assertThat(awaitOutcome("jotform", eventId)).isEqualTo("mapped");
        assertThat(jdbc.queryForMap("select type, summary, attributes::text as a from touchpoints where connector = 'jotform' "
                + "and event_id = ?", eventId)).containsEntry("type", "form_submitted")
                .containsEntry("summary", "Development Support")
                .satisfies(t -> assertThat((String) t.get("a")).contains("70936128142151"));
    }

    @Test // #5
    void jotformAnswersInsideRawRequestAreFoundByTheirFieldNames() {
        // given a submission whose rawRequest holds name, email, phone and UTM hidden fields
        Map<String, String> fields = jotformWithContact("jf-contact-1", "britney.jones@example.com", "(317) 555-0142");

        // when Jotform posts it
        assertThat(postJotform(fields, TestSecrets.JOTFORM).statusCode()).isEqualTo(202);

        // then the person is complete and the touchpoint carries the campaign
        long customer = awaitCustomer("email", "britney.jones@example.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(golden(customer)).containsEntry("first_name", "Britney").containsEntry("last_name", "Jones")
                .containsEntry("phone", "+13175550142").containsEntry("company", "Acme Venues")
                .containsEntry("lead_source", "Jotform");
        assertThat(attributes(timeline(customer).get(0)).path("utm_source").asText()).isEqualTo("google");
        assertThat(attributes(timeline(customer).get(0)).path("utm_campaign").asText()).isEqualTo("spring");
    }

    @Test // #5
    void jotformRefusesAWrongOrMissingTokenAndIgnoresAResend() {
        // given a submission (Jotform signs nothing: the token in the URL is all there is to check)
        Map<String, String> fields = jotformWithContact("jf-retry-1", "jf.retry@example.com", "(317) 555-0177");

        // when it comes with a wrong token or none, then twice with the right one
        var wrong = postJotform(fields, "guess");
        var none = postJotform(fields, null);
        postJotform(fields, TestSecrets.JOTFORM);
        postJotform(fields, TestSecrets.JOTFORM);
        awaitIdle();

        // then the first two are refused and the submission is one touchpoint
        assertRefused(wrong, 401, "bad-signature");
        assertRefused(none, 401, "missing-signature");
        assertThat(types(awaitCustomer("email", "jf.retry@example.com"))).containsExactly("form_submitted");
    }

    @Test // #5
    void standardWebhooksContactBecomesACustomerWithTheSendersId() {
        // given the spec's full example payload, signed as the spec says
        byte[] body = fixture("standard-webhooks/contact.created.full.json");
        var headers = standardWebhooks(TestSecrets.STANDARD_WEBHOOKS, "msg_contact_1", now(), body);

        // when it is posted
        assertThat(eventId(hooks.post("/hooks/standard-webhooks", "application/json", body, headers))).isEqualTo("msg_contact_1");

        // then the contact is a customer known by the sender's id, with name, phone and birthday
        long customer = awaitCustomer("ext:standard-webhooks", "1f81eb52-5198-4599-803e-771906343485");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(types(customer)).containsExactly("customer_updated");
        assertThat(golden(customer)).containsEntry("phone", "+12813322575").containsKey("full_name").containsKey("dob");
    }

    @Test // #5
    void standardWebhooksRefusesTamperedWrongSecretAndStaleAndIgnoresARetry() {
        // given the spec's minified example
        byte[] body = fixture("standard-webhooks/contact.created.thin.min.json");

        // when it is tampered with, signed with another secret, or signed 10 minutes ago
        var tampered = hooks.post("/hooks/standard-webhooks", "application/json", tampered(body),
                standardWebhooks(TestSecrets.STANDARD_WEBHOOKS, "msg_thin_1", now(), body));
        var wrong = hooks.post("/hooks/standard-webhooks", "application/json", body,
                standardWebhooks("whsec_" + java.util.Base64.getEncoder().encodeToString(utf8("another key, 24 bytes..")),
                        "msg_thin_1", now(), body));
        var stale = hooks.post("/hooks/standard-webhooks", "application/json", body,
                standardWebhooks(TestSecrets.STANDARD_WEBHOOKS, "msg_thin_1", now() - 600, body));

        // then each is refused; the message and its retry (same webhook-id) are one event
        assertRefused(tampered, 401, "bad-signature");
        assertRefused(wrong, 401, "bad-signature");
        assertRefused(stale, 400, "stale-timestamp");
        hooks.post("/hooks/standard-webhooks", "application/json", body, standardWebhooks(TestSecrets.STANDARD_WEBHOOKS, "msg_thin_1", now(), body));
        hooks.post("/hooks/standard-webhooks", "application/json", body, standardWebhooks(TestSecrets.STANDARD_WEBHOOKS, "msg_thin_1", now(), body));
        awaitIdle();
        assertThat(awaitOutcome("standard-webhooks", "msg_thin_1")).isEqualTo("mapped");
        assertThat(jdbc.queryForObject("select count(*) from touchpoints where connector = 'standard-webhooks' and event_id = 'msg_thin_1'",
                Long.class)).isEqualTo(1);
    }
}
