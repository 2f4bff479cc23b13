package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.STALE_TIMESTAMP;
import static org.touchpointhub.ingest.Webhooks.concat;
import static org.touchpointhub.ingest.Webhooks.detail;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeSignatureTests {

    private static final String SECRET = "whsec_test_secret_as_is";
    private static final byte[] BODY = Webhooks.fixture("stripe/event-customer.created.json");
    private static final long T = 1_700_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 10);

    private final SignatureScheme scheme = SignatureSchemes.create("stripe", Map.of("secret", SECRET));

    /** Stripe signs t + "." + body with the whole whsec_ string as the key, lower-case hex. */
    private static String v1(String secret, long t, byte[] body) {
        return Webhooks.hmacSha256Hex(secret, concat(utf8(t + "."), body));
    }

    private static WebhookRequest request(String header, byte[] body) {
        return Webhooks.post("https://hub.example/in/stripe").header("Stripe-Signature", header).body(body).build();
    }

    @Test // #5
    void verifiesASignatureComputedWithTheDocumentedFormula() {
        var request = request("t=" + T + ",v1=" + v1(SECRET, T, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void acceptsAnyV1DuringSecretRollAndIgnoresV0() {
        var request = request("t=" + T + ",v1=" + v1("whsec_old", T, BODY) + ",v1=" + v1(SECRET, T, BODY)
                + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39", BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesATamperedBody() {
        var request = request("t=" + T + ",v1=" + v1(SECRET, T, BODY), concat(BODY, utf8("\n")));

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesAWrongSecretWithoutRevealingTheExpectedSignature() {
        var request = request("t=" + T + ",v1=" + v1("whsec_wrong", T, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
        assertThat(detail(result)).doesNotContain(SECRET).doesNotContain(v1(SECRET, T, BODY));
    }

    @Test // #5
    void refusesAMissingHeader() {
        var request = Webhooks.post("https://hub.example/in/stripe").body(BODY).build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesMalformedHeadersWithoutThrowing() {
        for (String header : new String[] {"garbage", "t=abc,v1=" + v1(SECRET, T, BODY), "t=" + T,
                "t=" + T + ",v0=" + v1(SECRET, T, BODY), "t=" + T + ",v1=xyz", ",,,=,=", "t=99999999999999999999"}) {
            var result = scheme.verify(request(header, BODY), NOW);

            assertThat(reason(result)).as(header).isEqualTo(BAD_SIGNATURE);
        }
    }

    @Test // #5
    void refusesStaleTimestampBeyondTheDefault300Seconds() {
        var request = request("t=" + T + ",v1=" + v1(SECRET, T, BODY), BODY);

        var stale = scheme.verify(request, Instant.ofEpochSecond(T + 301));
        var edge = scheme.verify(request, Instant.ofEpochSecond(T + 300));

        assertThat(reason(stale)).isEqualTo(STALE_TIMESTAMP);
        assertThat(edge).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsBadOptions() {
        var options = Map.of("tolerance", "-5m");

        var problems = SignatureSchemes.check("stripe", options);

        assertThat(problems).containsExactly("tolerance: must be a duration such as 5m, 300s or PT5M, was '-5m'",
                "secret: is required");
    }
}
