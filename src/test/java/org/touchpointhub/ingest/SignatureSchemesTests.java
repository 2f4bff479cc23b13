package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignatureSchemesTests {

    private static final String EC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";

    private static Map<String, String> validOptions(String scheme) {
        switch (scheme) {
            case "basic":
                return Map.of("user", "u", "password", "p");
            case "hmac-sha256":
                return Map.of("header", "X-Signature", "secret", "s", "signed", "timestamp.body",
                        "timestamp-header", "X-Timestamp");
            case "sendgrid":
                return Map.of("public-key", EC_KEY);
            case "standard-webhooks":
                return Map.of("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
            default:
                return Map.of("secret", "s");
        }
    }

    @Test // #3
    void namesEveryScheme() {
        var names = SignatureSchemes.names();

        assertThat(names).containsExactly("basic", "calcom", "calendly", "hmac-sha256", "hubspot-v3", "mailgun",
                "paddle", "sendgrid", "standard-webhooks", "stripe", "token", "twilio", "typeform");
    }

    @Test // #3
    void reportsAnUnknownSchemeWithTheKnownOnes() {
        var problems = SignatureSchemes.check("stripee", Map.of("secret", "s"));

        assertThat(problems).containsExactly("scheme: unknown scheme 'stripee' (known: basic, calcom, calendly, "
                + "hmac-sha256, hubspot-v3, mailgun, paddle, sendgrid, standard-webhooks, stripe, token, twilio, typeform)");
    }

    @Test // #3
    void refusesToCreateAVerifierFromInvalidOptions() {
        assertThatThrownBy(() -> SignatureSchemes.create("stripe", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid verify options for scheme 'stripe': secret: is required");
        assertThatThrownBy(() -> SignatureSchemes.create(null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheme: unknown scheme 'null'");
    }

    @Test // #3
    void acceptsTheDocumentedOptionsOfEveryScheme() {
        for (String scheme : SignatureSchemes.names()) {
            assertThat(SignatureSchemes.check(scheme, validOptions(scheme))).as(scheme).isEmpty();
        }
    }

    @Test // #3
    void parsesIsoAndSpringStyleTolerances() {
        assertThat(Signing.duration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Signing.duration("300s")).isEqualTo(Duration.ofSeconds(300));
        assertThat(Signing.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Signing.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Signing.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Signing.duration("300")).isNull();
        assertThat(Signing.duration("-PT5M")).isNull();
        assertThat(Signing.duration("5 minutes")).isNull();
    }

    @Test // #3
    void refusesGarbageInEverySchemeWithoutThrowing() {
        String[] garbage = {"", " ", ",", ";", "=", "t=", "ts=;h1=", "v1,", "sha256=", "%%%", "Basic ",
                "t=99999999999999999999,v1=00", "\u0000\u00ff", "v1a,AAAA", "x".repeat(5000)};
        for (String scheme : SignatureSchemes.names()) {
            var verifier = SignatureSchemes.create(scheme, validOptions(scheme));
            for (String value : garbage) {
                var builder = Webhooks.post("https://hub.example:99999/in?bodySHA256=" + value.length());
                for (String header : new String[] {"Authorization", "X-Signature", "X-Timestamp", "Typeform-Signature",
                        "X-Cal-Signature-256", "Stripe-Signature", "Calendly-Webhook-Signature", "Paddle-Signature",
                        "webhook-id", "webhook-timestamp", "webhook-signature", "X-Twilio-Signature",
                        "X-Twilio-Email-Event-Webhook-Signature", "X-Twilio-Email-Event-Webhook-Timestamp",
                        "X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp"}) {
                    builder.header(header, value);
                }
                var request = builder.body("{\"signature\":{\"timestamp\":\"" + value.replace("\"", "") + "\"}}")
                        .formField("signature", value).build();

                var result = verifier.verify(request, Instant.ofEpochSecond(1_700_000_000));

                assertThat(result).as(scheme + " with '" + value + "'").isInstanceOf(Verification.Refused.class);
            }
        }
    }
}
