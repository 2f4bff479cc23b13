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

class HubSpotV3SignatureTests {

    private static final JsonNode VECTORS = Webhooks.json("hubspot/signature-test-vectors.json");
    private static final JsonNode PYTHON_V3 = VECTORS.get("cases").get(3);
    private static final JsonNode CAPTURED = VECTORS.get("cases").get(6);
    private static final String CAPTURED_SECRET = CAPTURED.get("client_secret").asText();
    private static final byte[] CAPTURED_BODY = Webhooks.fixture(CAPTURED.get("body_file").asText());
    private static final Instant CAPTURED_AT = Instant.ofEpochMilli(CAPTURED.get("timestamp").asLong());

    private static WebhookRequest request(String url, String signature, String timestamp, byte[] body) {
        return Webhooks.post(url).header("X-HubSpot-Signature-v3", signature)
                .header("X-HubSpot-Request-Timestamp", timestamp).body(body).build();
    }

    private static WebhookRequest captured(String signature, byte[] body) {
        return request(CAPTURED.get("url").asText(), signature, CAPTURED.get("timestamp").asText(), body);
    }

    private final SignatureScheme scheme = SignatureSchemes.create("hubspot-v3", Map.of("secret", CAPTURED_SECRET));

    @Test // #5
    void verifiesTheCapturedRealDelivery() {
        var result = scheme.verify(captured(CAPTURED.get("expected").asText(), CAPTURED_BODY), CAPTURED_AT);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesThePythonSdkVectorAtItsOwnTimestamp() {
        var sdk = SignatureSchemes.create("hubspot-v3", Map.of("secret", VECTORS.get("client_secret").asText()));
        var request = request(VECTORS.get("url").asText(), PYTHON_V3.get("expected").asText(),
                PYTHON_V3.get("timestamp").asText(), utf8(VECTORS.get("request_body").asText()));

        var result = sdk.verify(request, Instant.ofEpochMilli(PYTHON_V3.get("timestamp").asLong()));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void decodesOnlyTheEscapesHubSpotListsBeforeSigning() {
        String received = "https://hub.example/in/hubspot%3Fx%3Dy?email=a%40b.c&name=J%20D&list=%28a%2Cb%29";
        String signedUri = "https://hub.example/in/hubspot?x%3Dy?email=a@b.c&name=J%20D&list=(a,b)";
        String signature = Webhooks.hmacSha256Base64(CAPTURED_SECRET,
                concat(utf8("POST" + signedUri), CAPTURED_BODY, utf8("1752613922216")));

        var result = scheme.verify(request(received, signature, "1752613922216", CAPTURED_BODY), CAPTURED_AT);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesATamperedBodyAndAWrongSecret() {
        var wrong = SignatureSchemes.create("hubspot-v3", Map.of("secret", "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"));

        var tampered = scheme.verify(captured(CAPTURED.get("expected").asText(), concat(CAPTURED_BODY, utf8(" "))),
                CAPTURED_AT);
        var wrongSecret = wrong.verify(captured(CAPTURED.get("expected").asText(), CAPTURED_BODY), CAPTURED_AT);

        assertThat(reason(tampered)).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(wrongSecret)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesMissingHeaders() {
        var request = Webhooks.post(CAPTURED.get("url").asText())
                .header("X-HubSpot-Signature-v3", CAPTURED.get("expected").asText()).body(CAPTURED_BODY).build();

        var result = scheme.verify(request, CAPTURED_AT);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesMalformedHeadersWithoutThrowing() {
        var garbage = captured("%%% not base64", CAPTURED_BODY);
        var seconds = request(CAPTURED.get("url").asText(), CAPTURED.get("expected").asText(), "17526139.22",
                CAPTURED_BODY);

        assertThat(reason(scheme.verify(garbage, CAPTURED_AT))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(scheme.verify(seconds, CAPTURED_AT))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesStaleTimestampOlderThanFiveMinutesInMilliseconds() {
        var request = captured(CAPTURED.get("expected").asText(), CAPTURED_BODY);

        var stale = scheme.verify(request, CAPTURED_AT.plusMillis(300_001));
        var edge = scheme.verify(request, CAPTURED_AT.plusMillis(300_000));

        assertThat(reason(stale)).isEqualTo(STALE_TIMESTAMP);
        assertThat(edge).isEqualTo(Verification.verified());
    }

    @Test // #5
    void acceptsThePreviousClientSecretDuringRotation() {
        var rotating = SignatureSchemes.create("hubspot-v3", Map.of("secret", "new", "previous-secret", CAPTURED_SECRET));

        var result = rotating.verify(captured(CAPTURED.get("expected").asText(), CAPTURED_BODY), CAPTURED_AT);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsBadOptions() {
        var problems = SignatureSchemes.check("hubspot-v3", Map.of("secret", "s", "tolerance", "PT-5M"));

        assertThat(problems).containsExactly("tolerance: must be a duration such as 5m, 300s or PT5M, was 'PT-5M'");
    }
}
