package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.STALE_TIMESTAMP;
import static org.touchpointhub.ingest.Webhooks.concat;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalendlySignatureTests {

    private static final String KEY = "calendly-signing-key";
    private static final byte[] BODY = Webhooks.fixture("calendly/invitee.created.json");
    private static final long T = 1_600_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 5);

    private final SignatureScheme scheme = SignatureSchemes.create("calendly", Map.of("secret", KEY));

    private static String v1(String key, long t, byte[] body) {
        return Webhooks.hmacSha256Hex(key, concat(utf8(t + "."), body));
    }

    private static WebhookRequest request(String header, byte[] body) {
        return Webhooks.post("https://hub.example/in/calendly").header("Calendly-Webhook-Signature", header)
                .body(body).build();
    }

    @Test // #5
    void verifiesAStripeStyleSignatureOverARealPayload() {
        var request = request("t=" + T + ",v1=" + v1(KEY, T, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesATamperedBody() {
        var request = request("t=" + T + ",v1=" + v1(KEY, T, BODY), utf8("{}"));

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesAWrongKey() {
        var request = request("t=" + T + ",v1=" + v1("other-key", T, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesAMissingHeader() {
        var request = Webhooks.post("https://hub.example/in/calendly").body(BODY).build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesAMalformedHeaderWithoutThrowing() {
        var request = request("t=,v1=", BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesStaleTimestampOutsideAConfiguredThreeMinuteWindow() {
        var threeMinutes = SignatureSchemes.create("calendly", Map.of("secret", KEY, "tolerance", "3m"));
        var request = request("t=" + T + ",v1=" + v1(KEY, T, BODY), BODY);

        var defaultWindow = scheme.verify(request, Instant.ofEpochSecond(T + 240));
        var configured = threeMinutes.verify(request, Instant.ofEpochSecond(T + 240));

        assertThat(defaultWindow).isEqualTo(Verification.verified());
        assertThat(reason(configured)).isEqualTo(STALE_TIMESTAMP);
    }

    @Test // #5
    void acceptsAnyOfSeveralSignaturesAndThePreviousKey() {
        var rotating = SignatureSchemes.create("calendly", Map.of("secret", "new-key", "previous-secret", KEY));
        var request = request("t=" + T + ",v1=00ff,v1=" + v1(KEY, T, BODY), BODY);

        var result = rotating.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsAMissingKey() {
        var problems = SignatureSchemes.check("calendly", Map.of("secret", " "));

        assertThat(problems).containsExactly("secret: is required");
    }
}
