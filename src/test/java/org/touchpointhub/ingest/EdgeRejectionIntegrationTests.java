package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.touchpointhub.support.HookClient;
import org.touchpointhub.support.HubIntegrationTest;

/**
 * Every bad input at the edge gets its status and a problem body naming the problem, nothing is queued, and the
 * hub keeps serving; hostile strings are stored safely, never executed or echoed as HTML; no personal data in the
 * log. Uses the test connectors in src/test/resources/edge-connectors.
 */
@TestPropertySource(properties = {
        "hub.connectors-dir=src/test/resources/edge-connectors",
        "EDGE_STAMPED_SECRET=" + EdgeRejectionIntegrationTests.STAMPED,
        "EDGE_BIG_SECRET=" + EdgeRejectionIntegrationTests.BIG,
        // a second hub context: it must not poll the mailbox and the API stub the main test context polls
        "hub.lead-inbox.host=none",
        "hub.pollers.calendly.organization=none",
})
@ExtendWith(OutputCaptureExtension.class)
class EdgeRejectionIntegrationTests extends HubIntegrationTest {

    static final String STAMPED = "stamped-test-secret";
    static final String BIG = "big-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> stamped(String body, long timestamp, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signed = timestamp + "." + body;
        String sig = HexFormat.of().formatHex(HookClient.hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8),
                signed.getBytes(StandardCharsets.UTF_8)));
        return hooks.post("/hooks/stamped", "application/json", bytes,
                Map.of("X-Signature", "sha256=" + sig, "X-Timestamp", String.valueOf(timestamp)));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static JsonNode problem(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at org.");
        return JSON.readTree(r.body());
    }

    private void assertRefused(HttpResponse<String> r, int status, String type) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode p = problem(r);
        assertThat(p.path("type").asText()).endsWith("/problems/" + type);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
    }

    @Autowired
    private EdgeLoad edgeLoad;

    @Test // #7
    void everyAnswerAcceptedOrRefusedLeavesTheInFlightCountAsItWas() throws Exception {
        // the count gives processing's ingest priority; a path that forgot to count down would hold it on for good
        int before = edgeLoad.inFlight();
        hooks.post("/hooks/no-such-connector", "application/json", "{}".getBytes(), Map.of());
        hooks.post("/hooks/stamped", "application/json", "{}".getBytes(), Map.of());
        stamped("{\"id\":\"s-9\",\"email\":", now(), STAMPED);
        stamped("{\"id\":\"s-10\",\"email\":\"in-flight@example.com\"}", now() - 3600, STAMPED);
        var accepted = stamped("{\"id\":\"s-11\",\"email\":\"in-flight@example.com\"}", now(), STAMPED);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(edgeLoad.inFlight()).isEqualTo(before);
    }

    @Test // #3
    void unknownConnectorIs404AndQueuesNothing() throws Exception {
        long before = messagesQueued();

        var r = hooks.post("/hooks/no-such-connector", "application/json", "{}".getBytes(), Map.of());
        var hostileId = hooks.post("/hooks/%3Cscript%3E", "application/json", "{}".getBytes(), Map.of());

        assertRefused(r, 404, "unknown-connector");
        assertThat(r.body()).contains("no-such-connector");
        assertThat(hostileId.statusCode()).isEqualTo(404);
        assertThat(hostileId.body()).doesNotContain("<script>");
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #3
    void missingAndWrongSignaturesAre401AndQueueNothing() throws Exception {
        long before = messagesQueued();
        String body = "{\"id\":\"s-1\",\"email\":\"a@example.com\"}";

        var missing = hooks.post("/hooks/stamped", "application/json", body.getBytes(), Map.of());
        var wrongSecret = stamped(body, now(), "not-the-secret");
        var tampered = hooks.post("/hooks/stamped", "application/json", (body + " ").getBytes(),
                Map.of("X-Timestamp", String.valueOf(now()), "X-Signature", "sha256=" + "0".repeat(64)));

        assertRefused(missing, 401, "missing-signature");
        assertRefused(wrongSecret, 401, "bad-signature");
        assertRefused(tampered, 401, "bad-signature");
        assertThat(wrongSecret.body()).doesNotContain(STAMPED);
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #3
    void staleTimestampIs400() throws Exception {
        long before = messagesQueued();

        var r = stamped("{\"id\":\"s-2\",\"email\":\"b@example.com\"}", now() - 3600, STAMPED);

        assertRefused(r, 400, "stale-timestamp");
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #3
    void malformedJsonAndInvalidUtf8Are400() throws Exception {
        long before = messagesQueued();

        var truncated = stamped("{\"id\":\"s-3\",\"email\":", now(), STAMPED);
        byte[] badUtf8 = "{\"id\":\"s-4\",\"email\":\"x\u00e9@example.com\"}".getBytes(StandardCharsets.ISO_8859_1);
        String badUtf8Text = new String(badUtf8, StandardCharsets.ISO_8859_1);
        long ts = now();
        byte[] signed = (ts + ".").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[signed.length + badUtf8.length];
        System.arraycopy(signed, 0, all, 0, signed.length);
        System.arraycopy(badUtf8, 0, all, signed.length, badUtf8.length);
        String sig = HexFormat.of().formatHex(HookClient.hmac("HmacSHA256", STAMPED.getBytes(StandardCharsets.UTF_8), all));
        var invalidUtf8 = hooks.post("/hooks/stamped", "application/json", badUtf8,
                Map.of("X-Signature", "sha256=" + sig, "X-Timestamp", String.valueOf(ts)));
        var empty = stamped("", now(), STAMPED);

        assertRefused(truncated, 400, "malformed-body");
        assertRefused(invalidUtf8, 400, "malformed-body");
        assertRefused(empty, 400, "malformed-body");
        assertThat(badUtf8Text).isNotEmpty();
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #3
    void oversizedBodyIs413AndWrongMediaTypeIs415() throws Exception {
        long before = messagesQueued();
        String big = "{\"id\":\"s-5\",\"email\":\"c@example.com\",\"note\":\"" + "x".repeat(3000) + "\"}";

        var tooLarge = stamped(big, now(), STAMPED);
        var text = hooks.post("/hooks/stamped", "text/plain", "hello".getBytes(), Map.of());
        var xml = hooks.post("/hooks/stamped", "application/xml", "<a/>".getBytes(), Map.of());
        var none = hooks.post("/hooks/stamped", null, "{}".getBytes(), Map.of());

        assertRefused(tooLarge, 413, "payload-too-large");
        assertRefused(text, 415, "unsupported-media-type");
        assertRefused(xml, 415, "unsupported-media-type");
        assertRefused(none, 415, "unsupported-media-type");
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #3
    void connectorWithoutItsSecretIs503AndNamesTheVariable() throws Exception {
        long before = messagesQueued();

        var r = hooks.post("/hooks/nosecret?token=anything", "application/json", "{\"email\":\"d@example.com\"}".getBytes(), Map.of());

        assertRefused(r, 503, "secret-not-configured");
        assertThat(r.body()).contains("EDGE_TEST_NEVER_SET_SECRET");
        assertThat(messagesQueued()).isEqualTo(before);
    }

    @Test // #3
    void hostileStringsAreStoredSafelyAndNeverEchoedAsHtml() throws Exception {
        String sql = "Robert'); DROP TABLE customers;--";
        String html = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        String controls = "Ann\u0000\u0007\u001b[31m Lee\u202e";
        String body = JSON.writeValueAsString(Map.of("id", "hostile-1", "email", "hostile@example.com",
                "name", controls, "company", sql, "note", html));

        var r = stamped(body, now(), STAMPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.customersByEmail("hostile@example.com").size() == 1);

        assertThat(r.statusCode()).isEqualTo(202);
        long id = admin.customersByEmail("hostile@example.com").get(0).path("id").asLong();
        var raw = admin.raw("/admin/customers/" + id, "Basic " + java.util.Base64.getEncoder()
                .encodeToString("admin:admin-test-password".getBytes()));
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode detail = JSON.readTree(raw.body());
        assertThat(detail.path("golden").path("company").path("v").asText()).isEqualTo(sql);
        assertThat(detail.path("golden").path("full_name").path("v").asText()).isEqualTo("Ann[31m Lee");
        assertThat(detail.path("timeline").get(0).path("summary").asText()).isEqualTo(html);
        assertThat(jdbc.queryForObject("select count(*) from customers", Long.class)).isPositive();
    }

    @Test // #3
    void tenMegabyteFieldIsAcceptedAndStoredBoundedWhileTheHubKeepsServing() throws Exception {
        String huge = "y".repeat(10 * 1024 * 1024);
        String body = "{\"id\":\"huge-1\",\"email\":\"huge@example.com\",\"name\":\"" + huge + "\",\"note\":\"" + huge.substring(0, 1000) + "\"}";

        var r = hooks.post("/hooks/big", "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of("X-Token", BIG));
        var next = stamped("{\"id\":\"after-huge\",\"email\":\"after.huge@example.com\"}", now(), STAMPED);
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.customersByEmail("huge@example.com").size() == 1
                && admin.customersByEmail("after.huge@example.com").size() == 1);

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(next.statusCode()).isEqualTo(202);
        JsonNode golden = admin.customersByEmail("huge@example.com").get(0).path("golden");
        assertThat(golden.path("full_name").asText()).hasSizeLessThanOrEqualTo(255);
    }

    @Test // #3
    void personalDataNeverReachesTheLog(CapturedOutput output) {
        String body = "{\"id\":\"pii-1\",\"email\":\"pii.canary@example.org\",\"name\":\"Zebulon Canaryman\","
                + "\"at\":\"not a date\"}";

        var ok = stamped(body, now(), STAMPED);
        var dead = stamped(body.replace("pii-1", "pii-2"), now(), STAMPED);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                jdbc.queryForObject("select count(*) from events where event_id in ('pii-1','pii-2')", Long.class) == 2);

        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(dead.statusCode()).isEqualTo(202);
        assertThat(jdbc.queryForObject("select count(*) from dead_letters where event_id = 'pii-1'", Long.class)).isEqualTo(1);
        assertThat(output.getAll()).doesNotContain("pii.canary").doesNotContain("Canaryman");
    }
}
