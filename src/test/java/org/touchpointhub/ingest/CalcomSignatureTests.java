package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalcomSignatureTests {

    private static final String SECRET = "calcom-secret";
    private static final byte[] BODY = Webhooks.fixture("calcom/BOOKING_CREATED.docs-example.json");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final SignatureScheme scheme = SignatureSchemes.create("calcom", Map.of("secret", SECRET));

    private static WebhookRequest request(String signature, byte[] body) {
        return Webhooks.post("https://hub.example/in/calcom").header("X-Cal-Signature-256", signature).body(body)
                .build();
    }

    @Test // #5
    void verifiesABareHexSignatureOverARealPayload() {
        var request = request(Webhooks.hmacSha256Hex(SECRET, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void acceptsUpperCaseHex() {
        var request = request(Webhooks.hmacSha256Hex(SECRET, BODY).toUpperCase(Locale.ROOT), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesTheNoSecretProvidedLiteral() {
        var request = request("no-secret-provided", BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesATamperedBody() {
        var request = request(Webhooks.hmacSha256Hex(SECRET, BODY), utf8("{\"triggerEvent\":\"BOOKING_CREATED\"}"));

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesAWrongSecret() {
        var request = request(Webhooks.hmacSha256Hex("wrong", BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesAMissingHeader() {
        var request = Webhooks.post("https://hub.example/in/calcom").body(BODY).build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesAMalformedHeaderWithoutThrowing() {
        var request = request("sha256=" + Webhooks.hmacSha256Hex(SECRET, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void acceptsThePreviousSecretDuringRotation() {
        var rotating = SignatureSchemes.create("calcom", Map.of("secret", "new", "previous-secret", SECRET));

        var result = rotating.verify(request(Webhooks.hmacSha256Hex(SECRET, BODY), BODY), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsAMissingSecret() {
        var problems = SignatureSchemes.check("calcom", Map.of());

        assertThat(problems).containsExactly("secret: is required");
    }
}
