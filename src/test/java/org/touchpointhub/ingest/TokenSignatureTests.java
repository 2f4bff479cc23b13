package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Webhooks.detail;
import static org.touchpointhub.ingest.Webhooks.reason;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenSignatureTests {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final String SECRET = "s3cr3t-t0ken";

    @Test // #3
    void verifiesTheTokenInTheDefaultQueryParameter() {
        var scheme = SignatureSchemes.create("token", Map.of("secret", SECRET));
        var request = Webhooks.post("https://hub.example/in/jotform?token=" + SECRET).body("x=1").build();

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void verifiesTheTokenInAConfiguredHeader() {
        var scheme = SignatureSchemes.create("token", Map.of("secret", SECRET, "header", "X-Hook-Token"));
        var request = Webhooks.post("https://hub.example/in/x").header("x-hook-token", SECRET).build();

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void refusesAWrongTokenWithoutRevealingTheSecret() {
        var scheme = SignatureSchemes.create("token", Map.of("secret", SECRET, "query", "key"));
        var request = Webhooks.post("https://hub.example/in/x?key=s3cr3t-t0kem").build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
        assertThat(detail(result)).doesNotContain(SECRET);
    }

    @Test // #3
    void refusesAMissingToken() {
        var scheme = SignatureSchemes.create("token", Map.of("secret", SECRET, "header", "X-Hook-Token"));
        var request = Webhooks.post("https://hub.example/in/x?token=" + SECRET).build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #3
    void acceptsThePreviousTokenDuringRotation() {
        var scheme = SignatureSchemes.create("token", Map.of("secret", "new-token", "previous-secret", SECRET));
        var request = Webhooks.post("https://hub.example/in/x?token=" + SECRET).build();

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void reportsAMissingSecretAndUnknownOptions() {
        var options = Map.of("heder", "X-Token");

        var problems = SignatureSchemes.check("token", options);

        assertThat(problems).containsExactly("secret: is required",
                "heder: unknown option for scheme 'token' (known: header, previous-secret, query, scheme, secret)");
    }
}
