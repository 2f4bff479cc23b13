package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TwilioSignatureTests {

    private static final JsonNode VECTORS = Webhooks.json("twilio/signature-test-vectors.json");
    private static final JsonNode CASES = VECTORS.get("cases");
    private static final String TOKEN = VECTORS.get("auth_token").asText();
    private static final JsonNode PARAMS = CASES.get(0).get("params");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final SignatureScheme scheme = SignatureSchemes.create("twilio", Map.of("secret", TOKEN));

    private static WebhookRequest form(String url, String signature) {
        var builder = Webhooks.post(url).header("X-Twilio-Signature", signature);
        PARAMS.fields().forEachRemaining(p -> builder.formField(p.getKey(), p.getValue().asText()));
        return builder.build();
    }

    private static String expected(JsonNode c) {
        return c.has("expected_signature") ? c.get("expected_signature").asText() : c.get("validates_with").asText();
    }

    @Test // #5
    void verifiesTheOfficialFormParameterVector() {
        JsonNode c = CASES.get(0);

        var result = scheme.verify(form(c.get("url").asText(), expected(c)), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesTheOfficialRepeatedKeysVector() {
        JsonNode c = CASES.get(1);
        var request = Webhooks.post(c.get("url").asText()).header("X-Twilio-Signature", expected(c))
                .formBody(c.get("form_body").asText()).build();

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesTheOfficialPortVectorsAsTwilioValidatorsDo() {
        for (int i = 2; i <= 5; i++) {
            JsonNode c = CASES.get(i);

            var result = scheme.verify(form(c.get("url").asText(), expected(c)), NOW);

            assertThat(result).as(c.get("name").asText()).isEqualTo(Verification.verified());
        }
    }

    @Test // #5
    void acceptsASignatureOverTheDefaultPortForAUrlWithoutPort() {
        String url = CASES.get(0).get("url").asText();

        var https = scheme.verify(form(url, expected(CASES.get(4))), NOW);
        var http = scheme.verify(form(url.replace("https:", "http:"), expected(CASES.get(5))), NOW);

        assertThat(https).isEqualTo(Verification.verified());
        assertThat(http).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesTheOfficialJsonBodyVectorAndRefusesATamperedBody() {
        JsonNode c = CASES.get(6);
        var request = Webhooks.post(c.get("url").asText()).header("X-Twilio-Signature", expected(c))
                .body(c.get("body").asText()).build();
        var tampered = Webhooks.post(c.get("url").asText()).header("X-Twilio-Signature", expected(c))
                .body(c.get("body").asText().replace("true", "false")).build();

        assertThat(scheme.verify(request, NOW)).isEqualTo(Verification.verified());
        assertThat(reason(scheme.verify(tampered, NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void verifiesASignatureComputedOverARealSmsWebhook() {
        String url = "https://hub.example/in/twilio/sms";
        String body = new String(Webhooks.fixture("twilio/sms-incoming.form.txt"), StandardCharsets.UTF_8);
        var request = Webhooks.post(url).formBody(body);
        var sorted = new TreeMap<String, String>();
        request.build().form().forEach((name, values) -> sorted.put(name, values.get(0)));
        var data = new StringBuilder(url);
        sorted.forEach((name, value) -> data.append(name).append(value));
        String signature = Base64.getEncoder().encodeToString(Webhooks.hmac("HmacSHA1", utf8(TOKEN), utf8(data.toString())));

        var result = scheme.verify(request.header("X-Twilio-Signature", signature).build(), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesATamperedParameterAndAWrongToken() {
        JsonNode c = CASES.get(0);
        var tampered = Webhooks.post(c.get("url").asText()).header("X-Twilio-Signature", expected(c))
                .formField("CallSid", "CA1234567890ABCDE").formField("Digits", "9999").build();
        var wrongToken = SignatureSchemes.create("twilio", Map.of("secret", "54321"));

        assertThat(reason(scheme.verify(tampered, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(wrongToken.verify(form(c.get("url").asText(), expected(c)), NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesAMissingHeader() {
        var request = Webhooks.post(CASES.get(0).get("url").asText()).formField("Digits", "1234").build();

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesMalformedHeadersAndUrlsWithoutThrowing() {
        var garbage = form(CASES.get(0).get("url").asText(), "%%%not base64");
        var oddUrl = form("not a url at all", expected(CASES.get(0)));
        var oddPort = form("https://[::1]:x/path?bodySHA256=zz", expected(CASES.get(0)));

        assertThat(reason(scheme.verify(garbage, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(scheme.verify(oddUrl, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(scheme.verify(oddPort, NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void acceptsTheSecondaryAuthTokenDuringRotation() {
        var rotating = SignatureSchemes.create("twilio", Map.of("secret", "primary", "previous-secret", TOKEN));
        JsonNode c = CASES.get(0);

        var result = rotating.verify(form(c.get("url").asText(), expected(c)), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void reportsAMissingAuthToken() {
        var problems = SignatureSchemes.check("twilio", Map.of("token", TOKEN));

        assertThat(problems).containsExactly("secret: is required",
                "token: unknown option for scheme 'twilio' (known: previous-secret, scheme, secret)");
    }
}
