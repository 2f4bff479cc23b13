package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.touchpointhub.ingest.Verification.Reason.BAD_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.MISSING_SIGNATURE;
import static org.touchpointhub.ingest.Verification.Reason.STALE_TIMESTAMP;
import static org.touchpointhub.ingest.Webhooks.concat;
import static org.touchpointhub.ingest.Webhooks.detail;
import static org.touchpointhub.ingest.Webhooks.reason;
import static org.touchpointhub.ingest.Webhooks.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhooksSignatureTests {

    private static final JsonNode VECTORS = Webhooks.json("standard-webhooks/test-vectors.json");
    private static final JsonNode SYMMETRIC = VECTORS.get("symmetric");
    private static final String SECRET = SYMMETRIC.get("secret").asText();
    private static final String MSG_ID = SYMMETRIC.get("msg_id").asText();
    private static final long TS = SYMMETRIC.get("timestamp").asLong();
    private static final String PAYLOAD = SYMMETRIC.get("payload").asText();
    private static final String VALID = SYMMETRIC.get("expected_signature").asText();
    private static final Instant AT_SIGNING = Instant.ofEpochSecond(TS);

    private final SignatureScheme scheme = SignatureSchemes.create("standard-webhooks", Map.of("secret", SECRET));

    private static WebhookRequest request(String prefix, String id, String ts, String signature, byte[] body) {
        return Webhooks.post("https://hub.example/in/sw")
                .header(prefix + "-id", id)
                .header(prefix + "-timestamp", ts)
                .header(prefix + "-signature", signature)
                .body(body)
                .build();
    }

    private static WebhookRequest vectorRequest(String signature) {
        return request("webhook", MSG_ID, String.valueOf(TS), signature, utf8(PAYLOAD));
    }

    private static String sign(String secret, String id, long ts, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] mac = Webhooks.hmac("HmacSHA256", key, concat(utf8(id + "." + ts + "."), body));
        return "v1," + Base64.getEncoder().encodeToString(mac);
    }

    @Test // #3
    void verifiesTheOfficialSymmetricVector() {
        var request = vectorRequest(VALID);

        var result = scheme.verify(request, AT_SIGNING);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void verifiesTheOfficialVectorUnderSvixHeaderNames() {
        var request = request("svix", MSG_ID, String.valueOf(TS), VALID, utf8(PAYLOAD));

        var result = scheme.verify(request, AT_SIGNING);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void refusesTheOfficialWrongSignatureVector() {
        var request = vectorRequest(VECTORS.get("symmetric_negative").get("wrong_signature").asText());

        var result = scheme.verify(request, AT_SIGNING);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
        assertThat(detail(result)).doesNotContain(SECRET).doesNotContain(VALID.substring(3));
    }

    @Test // #3
    void acceptsTheOfficialMultiSignatureHeaderWithOneValidEntry() {
        String header = VECTORS.get("symmetric_negative").get("multi_signature_header_template").asText()
                .replace("<valid v1 signature>", VALID);

        var result = scheme.verify(vectorRequest(header), AT_SIGNING);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void verifiesTheOfficialAsymmetricEd25519Vector() throws Exception {
        JsonNode asymmetric = VECTORS.get("asymmetric");
        byte[] seed = Base64.getDecoder().decode(asymmetric.get("secret_key_base64").asText());
        String publicKey = "whpk_" + Base64.getEncoder().encodeToString(ed25519PublicKey(seed));
        var ed25519 = SignatureSchemes.create("standard-webhooks", Map.of("public-key", publicKey));
        var request = request("webhook", asymmetric.get("msg_id").asText(), asymmetric.get("timestamp").asText(),
                asymmetric.get("expected_signature").asText(), utf8(asymmetric.get("payload").asText()));

        var result = ed25519.verify(request, AT_SIGNING);
        var tampered = ed25519.verify(request("webhook", asymmetric.get("msg_id").asText(),
                asymmetric.get("timestamp").asText(), asymmetric.get("expected_signature").asText(),
                utf8(asymmetric.get("payload").asText() + " ")), AT_SIGNING);

        assertThat(result).isEqualTo(Verification.verified());
        assertThat(reason(tampered)).isEqualTo(BAD_SIGNATURE);
    }

    /** The JDK derives an ed25519 public key only through key generation, so feed it the seed as "randomness". */
    private static byte[] ed25519PublicKey(byte[] seed) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        KeyPair pair = generator.generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    @Test // #3
    void verifiesASignatureComputedOverARealFixtureBody() {
        byte[] body = Webhooks.fixture("standard-webhooks/contact.created.full.json");
        var request = request("webhook", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1674087231",
                sign(SECRET, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1674087231, body), body);

        var result = scheme.verify(request, Instant.ofEpochSecond(1674087231 + 60));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void refusesATamperedBody() {
        var request = request("webhook", MSG_ID, String.valueOf(TS), VALID, utf8(PAYLOAD.replace("2432", "2433")));

        var result = scheme.verify(request, AT_SIGNING);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesASignatureMadeWithAnotherSecret() {
        String other = "whsec_" + Base64.getEncoder().encodeToString(utf8("another secret of 32 bytes......"));
        var request = vectorRequest(sign(other, MSG_ID, TS, utf8(PAYLOAD)));

        var result = scheme.verify(request, AT_SIGNING);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesARequestWithoutSignatureHeaders() {
        var request = Webhooks.post("https://hub.example/in/sw").header("webhook-id", MSG_ID).body(PAYLOAD).build();

        var result = scheme.verify(request, AT_SIGNING);

        assertThat(reason(result)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #3
    void refusesMalformedSignatureHeadersWithoutThrowing() {
        var garbage = vectorRequest("garbage v1,%%%notbase64%% v1, ,,,");
        var badTimestamp = request("webhook", MSG_ID, "16142653x0", VALID, utf8(PAYLOAD));

        var garbageResult = scheme.verify(garbage, AT_SIGNING);
        var badTimestampResult = scheme.verify(badTimestamp, AT_SIGNING);

        assertThat(reason(garbageResult)).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(badTimestampResult)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesStaleTimestampsInThePastAndTheFuture() {
        var request = vectorRequest(VALID);

        var late = scheme.verify(request, AT_SIGNING.plusSeconds(301));
        var early = scheme.verify(request, AT_SIGNING.minusSeconds(301));
        var edge = scheme.verify(request, AT_SIGNING.plusSeconds(300));

        assertThat(reason(late)).isEqualTo(STALE_TIMESTAMP);
        assertThat(reason(early)).isEqualTo(STALE_TIMESTAMP);
        assertThat(edge).isEqualTo(Verification.verified());
    }

    @Test // #3
    void acceptsThePreviousSecretDuringRotation() {
        String current = "whsec_" + Base64.getEncoder().encodeToString(utf8("the new secret after rotation..."));
        var rotating = SignatureSchemes.create("standard-webhooks",
                Map.of("secret", current, "previous-secret", SECRET));

        var result = rotating.verify(vectorRequest(VALID), AT_SIGNING);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void reportsBadOptions() {
        var options = Map.of("secret", "whsec_***", "public-key", "whpk_AAAA", "tolerance", "five minutes");

        var problems = SignatureSchemes.check("standard-webhooks", options);

        assertThat(problems).containsExactlyInAnyOrder(
                "secret: must be whsec_ followed by base64",
                "public-key: must be whpk_ followed by the base64 of a 32-byte ed25519 public key",
                "tolerance: must be a duration such as 5m, 300s or PT5M, was 'five minutes'");
        assertThat(SignatureSchemes.check("standard-webhooks", Map.of()))
                .containsExactly("secret: is required (or public-key for v1a ed25519 signatures)");
    }
}
