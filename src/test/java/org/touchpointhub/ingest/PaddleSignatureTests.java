package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.STALE_TIMESTAMP;
import static org.touchpointhub.ingest.Webhooks.concat;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaddleSignatureTests {

    private static final JsonNode CASES = Webhooks.json("paddle/signature-test-vectors.json").get("cases");
    private static final JsonNode REAL = CASES.get(0);
    private static final String SECRET = REAL.get("secret").asText();
    private static final byte[] BODY = Webhooks.fixture(REAL.get("body_file").asText());

    private static byte[] body(JsonNode vector) {
        return vector.has("body_file") ? Webhooks.fixture(vector.get("body_file").asText())
                : utf8(vector.get("body").asText());
    }

    /** The vectors' timestamps are old: verify them at their own signing time (the SDK test disables the clock). */
    private static Instant signedAt(String header) {
        return Instant.ofEpochSecond(Long.parseLong(header.replaceAll("^ts=(\\d+);.*$", "$1")));
    }

    private static WebhookRequest request(String header, byte[] body) {
        return Webhooks.post("https://hub.example/in/paddle").header("Paddle-Signature", header).body(body).build();
    }

    @Test // #5
    void verifiesTheRealNotificationVectors() {
        for (JsonNode vector : new JsonNode[] {CASES.get(0), CASES.get(1)}) {
            var scheme = SignatureSchemes.create("paddle", Map.of("secret", vector.get("secret").asText()));
            String header = vector.get("header_value").asText();

            var result = scheme.verify(request(header, body(vector)), signedAt(header));

            assertThat(result).as(vector.get("name").asText()).isEqualTo(Verification.verified());
        }
    }

    @Test // #5
    void triesEveryH1AgainstEachSecretOfTheRotationVector() {
        JsonNode vector = CASES.get(2);
        String header = vector.get("header_value").asText();

        for (JsonNode tried : vector.get("secrets_tried")) {
            var scheme = SignatureSchemes.create("paddle", Map.of("secret", tried.get("secret").asText()));

            var result = scheme.verify(request(header, body(vector)), signedAt(header));

            assertThat(result instanceof Verification.Verified).isEqualTo(tried.get("matches").asBoolean());
        }
    }

    @Test // #5
    void acceptsThePreviousSecretDuringRotation() {
        JsonNode vector = CASES.get(2);
        var secrets = vector.get("secrets_tried");
        var scheme = SignatureSchemes.create("paddle", Map.of("secret", secrets.get(0).get("secret").asText(),
                "previous-secret", secrets.get(2).get("secret").asText()));
        String header = vector.get("header_value").asText();

        var result = scheme.verify(request(header, body(vector)), signedAt(header));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesASignatureComputedWithTheColonJoiner() {
        var scheme = SignatureSchemes.create("paddle", Map.of("secret", SECRET));
        String h1 = Webhooks.hmacSha256Hex(SECRET, concat(utf8("1710500000:"), BODY));

        var result = scheme.verify(request("ts=1710500000;h1=" + h1, BODY), Instant.ofEpochSecond(1710500003));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesATamperedBodyAndAWrongSecret() {
        String header = REAL.get("header_value").asText();
        var right = SignatureSchemes.create("paddle", Map.of("secret", SECRET));
        var wrong = SignatureSchemes.create("paddle", Map.of("secret", SECRET + "x"));

        var tampered = right.verify(request(header, concat(BODY, utf8("\n"))), signedAt(header));
        var wrongSecret = wrong.verify(request(header, BODY), signedAt(header));

        assertThat(reason(tampered)).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(wrongSecret)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesMissingAndMalformedHeadersWithoutThrowing() {
        var scheme = SignatureSchemes.create("paddle", Map.of("secret", SECRET));
        var missing = Webhooks.post("https://hub.example/in/paddle").body(BODY).build();

        assertThat(reason(scheme.verify(missing, Instant.EPOCH))).isEqualTo(MISSING_SIGNATURE);
        for (String header : new String[] {"ts=1710498758,h1=abc", "h1=abcd", "ts=x;h1=ab", ";;;", "ts=1;h1=zz"}) {
            assertThat(reason(scheme.verify(request(header, BODY), Instant.EPOCH))).as(header)
                    .isEqualTo(BAD_SIGNATURE);
        }
    }

    @Test // #5
    void refusesStaleTimestampBeyondTheSdkDefaultOfFiveSeconds() {
        var scheme = SignatureSchemes.create("paddle", Map.of("secret", SECRET));
        var relaxed = SignatureSchemes.create("paddle", Map.of("secret", SECRET, "tolerance", "1m"));
        String header = REAL.get("header_value").asText();

        var stale = scheme.verify(request(header, BODY), signedAt(header).plusSeconds(6));
        var fresh = scheme.verify(request(header, BODY), signedAt(header).plusSeconds(5));
        var configured = relaxed.verify(request(header, BODY), signedAt(header).plusSeconds(6));

        assertThat(reason(stale)).isEqualTo(STALE_TIMESTAMP);
        assertThat(fresh).isEqualTo(Verification.verified());
        assertThat(configured).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsBadOptions() {
        var problems = SignatureSchemes.check("paddle", Map.of("secret", SECRET, "tolerance", "5"));

        assertThat(problems).containsExactly("tolerance: must be a duration such as 5m, 300s or PT5M, was '5'");
    }
}
