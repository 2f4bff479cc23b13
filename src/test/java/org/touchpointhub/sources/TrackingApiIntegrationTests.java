package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestSecrets;

/** The Segment-compatible tracking API: analytics.js and analytics-java shaped calls through {@code /v1/*}. */
class TrackingApiIntegrationTests extends SourcesTestSupport {

    @Test // #5
    void pageTrackAndIdentifyAsAnalyticsJsSendsThem() {
        // given one visitor's page view, product event and identify, shaped as analytics.js 2.x sends them
        String anon = UUID.randomUUID().toString();
        String page = """
                {"timestamp":"2024-05-02T09:15:00.000Z","integrations":{},"anonymousId":"%s","type":"page",
                 "properties":{"path":"/pricing","referrer":"https://www.google.com/","search":"?utm_source=google",
                  "title":"Pricing","url":"https://www.example.com/pricing?utm_source=google"},
                 "context":{"page":{"path":"/pricing","referrer":"https://www.google.com/","title":"Pricing",
                  "url":"https://www.example.com/pricing?utm_source=google"},
                  "campaign":{"source":"google","medium":"cpc","name":"spring_sale"},
                  "userAgent":"Mozilla/5.0","locale":"en-US","library":{"name":"analytics.js","version":"2.11.1"}},
                 "messageId":"ajs-%s","sentAt":"2024-05-02T09:15:00.012Z"}""".formatted(anon, UUID.randomUUID());
        String track = """
                {"timestamp":"2024-05-02T09:16:00.000Z","integrations":{},"event":"Product Viewed","anonymousId":"%s",
                 "type":"track","properties":{"product_id":"507f1f77bcf86cd799439011","name":"Monopoly: 3rd Edition",
                  "price":18.99},"context":{"library":{"name":"analytics.js","version":"2.11.1"}},
                 "messageId":"ajs-%s","sentAt":"2024-05-02T09:16:00.010Z"}""".formatted(anon, UUID.randomUUID());
        String identify = """
                {"timestamp":"2024-05-02T09:17:00.000Z","integrations":{},"anonymousId":"%s","userId":"user-%s",
                 "type":"identify","traits":{"email":"Peter.Gibbons@Initech.example.com","firstName":"Peter",
                  "lastName":"Gibbons","company":{"name":"Initech"}},
                 "context":{"library":{"name":"analytics.js","version":"2.11.1"}},
                 "messageId":"ajs-%s","sentAt":"2024-05-02T09:17:00.010Z"}""".formatted(anon, anon, UUID.randomUUID());

        // when the library posts them with the write key as Basic user, the identify through the short alias
        HttpResponse<String> p = post("/v1/page", page, TestSecrets.SEGMENT);
        HttpResponse<String> t = post("/v1/track", track, TestSecrets.SEGMENT);
        HttpResponse<String> i = post("/v1/i", identify, TestSecrets.SEGMENT);

        // then each is answered like Segment, and the visitor is one customer with the three touchpoints in order
        assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
        assertThat(p.body()).isEqualTo("{\"success\":true}");
        assertThat(t.statusCode()).isEqualTo(200);
        assertThat(i.statusCode()).isEqualTo(200);
        long customer = awaitCustomer("email", "peter.gibbons@initech.example.com");
        await().atMost(WAIT).until(() -> types(customer).size() == 3);
        assertThat(types(customer)).containsExactly("page_viewed", "product_event", "identified");
        assertThat((String) timeline(customer).get(0).get("attributes"))
                .contains("\"utm_source\": \"google\"", "\"utm_campaign\": \"spring_sale\"", "\"referrer\": \"https://www.google.com/\"");
        assertThat(timeline(customer).get(1).get("summary")).isEqualTo("Product Viewed");
        assertThat(customerByKey("ext:segment", "user-" + anon)).contains(customer);
        assertThat(customerByKey("anon", anon)).contains(customer);
    }

    @Test // #5
    void batchAsAnalyticsJavaSendsItWithTheWriteKeyInTheBody() {
        // given an analytics-java batch: writeKey in the body, batch-level context, items with their own types
        String user = "java-" + UUID.randomUUID();
        String batch = """
                {"batch":[
                  {"type":"identify","userId":"%s","traits":{"email":"%s@example.org","name":"Milton Waddams"},
                   "messageId":"%s","timestamp":"2024-05-03T10:00:00.000Z"},
                  {"type":"track","userId":"%s","event":"Order Completed","properties":{"revenue":42.5},
                   "messageId":"%s","timestamp":"2024-05-03T10:01:00.000Z"}],
                 "sentAt":"2024-05-03T10:01:01.000Z","context":{"library":{"name":"analytics-java","version":"3.5.1"}},
                 "writeKey":"%s"}""".formatted(user, user, UUID.randomUUID(), user, UUID.randomUUID(), TestSecrets.SEGMENT);

        // when it is posted without an Authorization header
        HttpResponse<String> response = post("/v1/batch", batch, null);

        // then both items are touchpoints of one customer
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long customer = awaitCustomer("ext:segment", user);
        await().atMost(WAIT).until(() -> types(customer).size() == 2);
        assertThat(types(customer)).containsExactly("identified", "product_event");
        assertThat((String) timeline(customer).get(1).get("attributes")).contains("analytics-java", "42.5");
    }

    @Test // #5
    void refusesAWrongOrMissingWriteKeyAndAnOversizedCall() {
        // given a valid page call
        long before = messagesQueued();
        String page = "{\"anonymousId\":\"" + UUID.randomUUID() + "\",\"properties\":{\"url\":\"https://www.example.com/\"}}";
        String huge = "{\"anonymousId\":\"x\",\"properties\":{\"blob\":\"" + "a".repeat(33 * 1024) + "\"}}";

        // when it is sent with another key, with no key, and an oversized call with the right key
        var wrong = post("/v1/page", page, "not-the-write-key");
        var missing = post("/v1/page", page, null);
        var oversized = post("/v1/page", huge, TestSecrets.SEGMENT);

        // then each is refused with a problem and nothing is queued
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("bad-write-key");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(oversized.body()).contains("payload-too-large");
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #5
    void identifyJoinsEarlierAnonymousVisitsToTheKnownPerson() {
        // given a person known from a web form, and an anonymous visitor who viewed two pages
        String email = "samir." + UUID.randomUUID().toString().substring(0, 8) + "@initrode.example.com";
        String form = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&first_name=Samir&form_name=Demo";
        var formed = hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(formed.statusCode()).as(formed.body()).isEqualTo(202);
        long known = awaitCustomer("email", email);
        String anon = UUID.randomUUID().toString();
        post("/v1/page", pageCall(anon, "/features", "2030-01-01T10:00:00Z"), TestSecrets.SEGMENT);
        post("/v1/page", pageCall(anon, "/pricing", "2030-01-01T10:05:00Z"), TestSecrets.SEGMENT);
        long anonymous = awaitCustomer("anon", anon);
        await().atMost(WAIT).until(() -> types(anonymous).size() == 2);
        assertThat(anonymous).isNotEqualTo(known);

        // when the visitor identifies with that email
        post("/v1/identify", """
                {"anonymousId":"%s","traits":{"email":"%s"},"timestamp":"2030-01-01T10:06:00Z","messageId":"%s"}"""
                .formatted(anon, email, UUID.randomUUID()), TestSecrets.SEGMENT);

        // then the anonymous visits are on the known person's timeline and the anonymous customer is merged into it
        await().atMost(WAIT).until(() -> types(known).size() == 4);
        assertThat(types(known)).containsExactly("form_submitted", "page_viewed", "page_viewed", "identified");
        assertThat(customerByKey("anon", anon)).contains(known);
        assertThat(jdbc.queryForObject("select merged_into from customers where id = ?", Long.class, anonymous)).isEqualTo(known);
        assertThat(jdbc.queryForObject("select count(*) from touchpoints where customer_id = ?", Long.class, anonymous)).isZero();
        // only touchpoints that state something about the person are match records, the ones candidates are read from
        assertThat(jdbc.queryForList("select type from touchpoints where customer_id = ? and match is not null order by id",
                String.class, known)).containsExactly("form_submitted", "identified");
    }

    @Test // #7
    void aJoinedVisitorsBlockingKeysMoveToThePersonSoBlocksNameCurrentCustomersOnly() {
        // given a known person, and a visitor who gave a name but no e-mail: an anonymous customer with blocking keys
        String email = "ines." + UUID.randomUUID().toString().substring(0, 8) + "@initrode.example.com";
        String form = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&first_name=Ines&form_name=Demo";
        assertThat(hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8), Map.of()).statusCode()).isEqualTo(202);
        long known = awaitCustomer("email", email);
        String anon = UUID.randomUUID().toString();
        String family = "Quennell" + UUID.randomUUID().toString().substring(0, 6);
        post("/v1/identify", """
                {"anonymousId":"%s","traits":{"firstName":"Ines","lastName":"%s","company":"Initrode"},
                 "timestamp":"2030-01-01T10:00:00Z","messageId":"%s"}""".formatted(anon, family, UUID.randomUUID()),
                TestSecrets.SEGMENT);
        long anonymous = awaitCustomer("anon", anon);
        await().atMost(WAIT).until(() -> blockingKeys(anonymous).size() > 0);
        List<String> visitorKeys = blockingKeys(anonymous);

        // when the visitor identifies with the known person's e-mail
        post("/v1/identify", """
                {"anonymousId":"%s","traits":{"email":"%s"},"timestamp":"2030-01-01T10:06:00Z","messageId":"%s"}"""
                .formatted(anon, email, UUID.randomUUID()), TestSecrets.SEGMENT);

        // then the visitor is joined, and its blocking keys are the person's: a block never names a merged-away customer
        await().atMost(WAIT).until(() -> customerByKey("anon", anon).equals(Optional.of(known)));
        assertThat(jdbc.queryForObject("select merged_into from customers where id = ?", Long.class, anonymous)).isEqualTo(known);
        assertThat(blockingKeys(anonymous)).isEmpty();
        assertThat(blockingKeys(known)).containsAll(visitorKeys);
    }

    private List<String> blockingKeys(long customer) {
        return jdbc.queryForList("select key from blocking_keys where customer_id = ? order by key", String.class, customer);
    }

    private static String pageCall(String anon, String path, String timestamp) {
        return """
                {"anonymousId":"%s","type":"page","properties":{"path":"%s","url":"https://www.example.com%s"},
                 "timestamp":"%s","messageId":"%s"}""".formatted(anon, path, path, timestamp, UUID.randomUUID());
    }

    private HttpResponse<String> post(String path, String body, String writeKey) {
        Map<String, String> headers = writeKey == null ? Map.of()
                : Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
        return hooks.post(path, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }
}
