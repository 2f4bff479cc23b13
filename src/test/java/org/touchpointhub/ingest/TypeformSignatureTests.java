package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Webhooks.concat;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeformSignatureTests {

    private static final String SECRET = "typeform-webhook-secret";
    private static final byte[] BODY = Webhooks.fixture("typeform/form_response.docs-example-2018.json");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final SignatureScheme scheme = SignatureSchemes.create("typeform", Map.of("secret", SECRET));

    private static WebhookRequest request(String signature, byte[] body) {
        return Webhooks.post("https://hub.example/in/typeform").header("Typeform-Signature", signature).body(body)
                .build();
    }

    @Test // #3
    void verifiesABase64SignatureOverARealPayload() {
        var request = request("sha256=" + Webhooks.hmacSha256Base64(SECRET, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void refusesAHexDigestBecauseTypeformSendsBase64() {
        var request = request("sha256=" + Webhooks.hmacSha256Hex(SECRET, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesATamperedBody() {
        var request = request("sha256=" + Webhooks.hmacSha256Base64(SECRET, BODY), concat(BODY, utf8(" ")));

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesAWrongSecret() {
        var request = request("sha256=" + Webhooks.hmacSha256Base64("not-the-secret", BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesAMissingHeader() {
        var request = Webhooks.post("https://hub.example/in/typeform").body(BODY).build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #3
    void refusesAMalformedHeaderWithoutThrowing() {
        var garbage = request("sha256=%%%", BODY);
        var bare = request("sha256", BODY);

        assertThat(reason(scheme.verify(garbage, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(scheme.verify(bare, NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void acceptsThePreviousSecretDuringRotation() {
        var rotating = SignatureSchemes.create("typeform", Map.of("secret", "new", "previous-secret", SECRET));
        var request = request("sha256=" + Webhooks.hmacSha256Base64(SECRET, BODY), BODY);

        var result = rotating.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void reportsAMissingSecretAndOptionsItDoesNotTake() {
        var options = Map.of("encoding", "hex");

        var problems = SignatureSchemes.check("typeform", options);

        assertThat(problems).containsExactly("secret: is required",
                "encoding: unknown option for scheme 'typeform' (known: previous-secret, scheme, secret)");
    }
}
