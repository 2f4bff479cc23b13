package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.STALE_TIMESTAMP;
import static org.touchpointhub.ingest.Webhooks.concat;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendGridSignatureTests {

    private static final String SIG = "X-Twilio-Email-Event-Webhook-Signature";
    private static final String TS = "X-Twilio-Email-Event-Webhook-Timestamp";
    private static final JsonNode CASES = Webhooks.json("sendgrid/signature-test-vectors.json").get("cases");
    private static final JsonNode FIRST = CASES.get(0);
    private static final Instant NOW = Instant.ofEpochSecond(1600112502);

    private static byte[] body(JsonNode c) {
        return c.has("body_file") ? Webhooks.fixture(c.get("body_file").asText()) : utf8(c.get("body").asText());
    }

    private static WebhookRequest request(String signature, String timestamp, byte[] body) {
        return Webhooks.post("https://hub.example/in/sendgrid").header(SIG, signature).header(TS, timestamp)
                .body(body).build();
    }

    private static SignatureScheme scheme(String publicKey) {
        return SignatureSchemes.create("sendgrid", Map.of("public-key", publicKey));
    }

    @Test // #5
    void judgesEveryOfficialVectorAsPublished() {
        for (JsonNode c : CASES) {
            var request = request(c.get("signature").asText(), c.get("timestamp").asText(), body(c));

            var result = scheme(c.get("public_key").asText()).verify(request, NOW);

            assertThat(result instanceof Verification.Verified).as(c.get("name").asText())
                    .isEqualTo(c.get("valid").asBoolean());
        }
    }

    @Test // #5
    void verifiesTheFixtureBodiesWithTheirCrlfBytes() {
        var result = scheme(FIRST.get("public_key").asText())
                .verify(request(FIRST.get("signature").asText(), "1600112502",
                        Webhooks.fixture("sendgrid/event-dropped.signed-body.json")), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void verifiesASignatureMadeInTheTestAndAcceptsThePreviousKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] body = Webhooks.fixture("sendgrid/events-processed-bounce.signed-body.json");
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(concat(utf8("1619651159"), body));
        String signature = Base64.getEncoder().encodeToString(signer.sign());
        var rotating = SignatureSchemes.create("sendgrid", Map.of("public-key", FIRST.get("public_key").asText(),
                "previous-public-key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())));

        var result = rotating.verify(request(signature, "1619651159", body), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #5
    void refusesANormalisedBody() {
        byte[] withoutCrlf = utf8(FIRST.get("body").asText().replace("\r\n", ""));

        var result = scheme(FIRST.get("public_key").asText())
                .verify(request(FIRST.get("signature").asText(), "1600112502", withoutCrlf), NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #5
    void refusesMissingHeaders() {
        var request = Webhooks.post("https://hub.example/in/sendgrid").header(SIG, "MEUC").body(body(FIRST)).build();

        var result = scheme(FIRST.get("public_key").asText()).verify(request, NOW);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #5
    void refusesMalformedSignaturesWithoutThrowing() {
        var scheme = scheme(FIRST.get("public_key").asText());

        for (String signature : new String[] {"%%%", "AAAA", "MEUCIGHQ", "bm90IGEgc2lnbmF0dXJl"}) {
            assertThat(reason(scheme.verify(request(signature, "1600112502", body(FIRST)), NOW))).as(signature)
                    .isEqualTo(BAD_SIGNATURE);
        }
    }

    @Test // #5
    void refusesStaleTimestampOnlyWhenAToleranceIsConfigured() {
        var request = request(FIRST.get("signature").asText(), "1600112502", body(FIRST));
        var windowed = SignatureSchemes.create("sendgrid",
                Map.of("public-key", FIRST.get("public_key").asText(), "tolerance", "10m"));

        var unchecked = scheme(FIRST.get("public_key").asText()).verify(request, NOW.plusSeconds(86_400));
        var stale = windowed.verify(request, NOW.plusSeconds(601));

        assertThat(unchecked).isEqualTo(Verification.verified());
        assertThat(reason(stale)).isEqualTo(STALE_TIMESTAMP);
    }

    @Test // #5
    void reportsBadOptions() {
        var missing = SignatureSchemes.check("sendgrid", Map.of());
        var notAKey = SignatureSchemes.check("sendgrid", Map.of("public-key", "bm90IGEga2V5"));

        assertThat(missing).containsExactly("public-key: is required");
        assertThat(notAKey).containsExactly("public-key: must be the base64 of an X.509 SubjectPublicKeyInfo EC P-256 key");
    }
}
