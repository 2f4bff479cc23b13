package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Webhooks.detail;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicSignatureTests {

    private static final byte[] BODY = Webhooks.fixture("chargebee/event.customer_created.json");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final SignatureScheme scheme =
            SignatureSchemes.create("basic", Map.of("user", "chargebee", "password", "pa:ss"));

    private static WebhookRequest request(String authorization) {
        return Webhooks.post("https://hub.example/in/chargebee").header("Authorization", authorization).body(BODY)
                .build();
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(utf8(credentials));
    }

    @Test // #5
    void verifiesMatchingCredentials() {
        var result = scheme.verify(request(basic("chargebee:pa:ss")), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesAWrongPasswordWithoutRevealingIt() {
        var result = scheme.verify(request(basic("chargebee:guess")), NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
        assertThat(detail(result)).doesNotContain("pa:ss");
    }

    @Test // #5
    void refusesMissingCredentials() {
        var request = Webhooks.post("https://hub.example/in/chargebee").body(BODY).build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesMalformedCredentialsWithoutThrowing() {
        assertThat(reason(scheme.verify(request("Basic %%%"), NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(scheme.verify(request("Bearer abc"), NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(scheme.verify(request("Basic"), NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void acceptsThePreviousPasswordDuringRotation() {
        var rotating = SignatureSchemes.create("basic",
                Map.of("user", "chargebee", "password", "new", "previous-password", "pa:ss"));

        var result = rotating.verify(request(basic("chargebee:pa:ss")), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsMissingUserAndPassword() {
        var problems = SignatureSchemes.check("basic", Map.of());

        assertThat(problems).containsExactly("user: is required", "password: is required");
    }
}
