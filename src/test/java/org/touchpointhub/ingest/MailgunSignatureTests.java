package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.REPLAYED;
import static org.touchpointhub.ingest.Verification.Reason.STALE_TIMESTAMP;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailgunSignatureTests {

    private static final JsonNode CASES = Webhooks.json("mailgun/signature-test-vectors.json").get("cases");
    private static final String KEY = CASES.get(0).get("signing_key").asText();
    private static final String EVENT_DATA =
            new String(Webhooks.fixture("mailgun/event-data.delivered-real.json"), StandardCharsets.UTF_8);

    private static WebhookRequest json(String timestamp, String token, String signature) {
        String body = "{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token
                + "\",\"signature\":\"" + signature + "\"},\"event-data\":" + EVENT_DATA + "}";
        return Webhooks.post("https://hub.example/in/mailgun").body(body).build();
    }

    private static WebhookRequest vector(JsonNode c) {
        return json(c.get("timestamp").asText(), c.get("token").asText(), c.get("signature").asText());
    }

    private static Instant at(JsonNode c) {
        return Instant.ofEpochSecond(c.get("timestamp").asLong());
    }

    private static SignatureScheme scheme() {
        return SignatureSchemes.create("mailgun", Map.of("secret", KEY));
    }

    @Test // #5
    void judgesEveryOfficialVectorAsPublished() {
        for (JsonNode c : CASES) {
            var result = scheme().verify(vector(c), at(c));

            assertThat(result instanceof Verification.Verified).as(c.toString()).isEqualTo(c.get("valid").asBoolean());
        }
    }

    @Test // #5
    void verifiesLegacyFormFields() {
        JsonNode c = CASES.get(0);
        var request = Webhooks.post("https://hub.example/in/mailgun")
                .formBody("timestamp=" + c.get("timestamp").asText() + "&token=" + c.get("token").asText()
                        + "&signature=" + c.get("signature").asText() + "&event=delivered")
                .build();

        var result = scheme().verify(request, at(c));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesASignatureComputedOverTimestampAndTokenWithARealEvent() {
        String signature = Webhooks.hmacSha256Hex(KEY, utf8("1700000000" + "tok-123"));

        var result = scheme().verify(json("1700000000", "tok-123", signature), Instant.ofEpochSecond(1700000100));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesAWrongKeyAndATamperedTimestamp() {
        JsonNode c = CASES.get(0);
        var wrongKey = SignatureSchemes.create("mailgun", Map.of("secret", "key-wrong"));

        var wrong = wrongKey.verify(vector(c), at(c));
        var tampered = scheme().verify(json("1403645221", c.get("token").asText(), c.get("signature").asText()), at(c));

        assertThat(reason(wrong)).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(tampered)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesABodyWithoutSignature() {
        var request = Webhooks.post("https://hub.example/in/mailgun").body("{\"event-data\":" + EVENT_DATA + "}")
                .build();

        var result = scheme().verify(request, Instant.EPOCH);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesMalformedBodiesWithoutThrowing() {
        var notJson = Webhooks.post("https://hub.example/in/mailgun").body("{\"signature\":").build();
        var arraySignature = Webhooks.post("https://hub.example/in/mailgun").body("{\"signature\":[1]}").build();
        var garbageFields = json("soon", "t", "not-hex");

        assertThat(reason(scheme().verify(notJson, Instant.EPOCH))).isEqualTo(MISSING_SIGNATURE);
        assertThat(reason(scheme().verify(arraySignature, Instant.EPOCH))).isEqualTo(MISSING_SIGNATURE);
        assertThat(reason(scheme().verify(garbageFields, Instant.EPOCH))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesStaleTimestamp() {
        JsonNode c = CASES.get(0);

        var result = scheme().verify(vector(c), at(c).plusSeconds(301));

        assertThat(reason(result)).isEqualTo(STALE_TIMESTAMP);
    }

    @Test // #5
    void refusesAReplayedTokenWithinTheWindowAndForgetsItAfter() {
        JsonNode c = CASES.get(0);
        var scheme = scheme();

        var first = scheme.verify(vector(c), at(c));
        var replay = scheme.verify(vector(c), at(c).plusSeconds(200));

        assertThat(first).isEqualTo(Verification.verified());
        assertThat(reason(replay)).isEqualTo(REPLAYED);
    }

    @Test // #5
    void keepsTheReplayMemoryBoundedEvictingExpiredThenOldestTokens() {
        var seen = new MailgunScheme.SeenTokens(3);
        Instant now = Instant.ofEpochSecond(1000);

        seen.firstSighting("expired", now.minusSeconds(1), now.minusSeconds(10));
        seen.firstSighting("a", now.plusSeconds(300), now);
        seen.firstSighting("b", now.plusSeconds(300), now);
        seen.firstSighting("c", now.plusSeconds(300), now);
        boolean dAccepted = seen.firstSighting("d", now.plusSeconds(300), now);

        assertThat(dAccepted).isTrue();
        assertThat(seen.size()).isEqualTo(3);
        assertThat(seen.firstSighting("a", now.plusSeconds(300), now)).as("oldest evicted").isTrue();
        assertThat(seen.firstSighting("d", now.plusSeconds(300), now)).as("still remembered").isFalse();
    }

    @Test // #5
    void acceptsThePreviousKeyDuringRotation() {
        JsonNode c = CASES.get(0);
        var rotating = SignatureSchemes.create("mailgun", Map.of("secret", "key-new", "previous-secret", KEY));

        var result = rotating.verify(vector(c), at(c));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsBadOptions() {
        var problems = SignatureSchemes.check("mailgun", Map.of("replay-cache-size", "lots"));

        assertThat(problems).containsExactly("secret: is required",
                "replay-cache-size: must be a whole number between 1 and 10000000, was 'lots'");
    }
}
