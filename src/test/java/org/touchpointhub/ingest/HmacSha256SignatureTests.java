package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

class HmacSha256SignatureTests {

    private static final String SECRET = "generic-secret";
    private static final byte[] BODY = Webhooks.fixture("calcom/BOOKING_CREATED.docs-example.json");
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);

    private static final Map<String, String> HEX_PREFIXED =
            Map.of("header", "X-Hub-Signature-256", "prefix", "sha256=", "secret", SECRET);
    private static final Map<String, String> TIMESTAMPED = Map.of("header", "X-Signature", "encoding", "base64",
            "signed", "timestamp.body", "timestamp-header", "X-Timestamp", "tolerance", "PT2M", "secret", SECRET);

    private static WebhookRequest signed(String header, String value, byte[] body) {
        return Webhooks.post("https://hub.example/in/generic").header(header, value).body(body).build();
    }

    @Test // #3
    void verifiesAPrefixedHexSignatureOverTheRawBody() {
        var scheme = SignatureSchemes.create("hmac-sha256", HEX_PREFIXED);
        var request = signed("X-Hub-Signature-256", "sha256=" + Webhooks.hmacSha256Hex(SECRET, BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void verifiesABase64SignatureOverTimestampAndBody() {
        var scheme = SignatureSchemes.create("hmac-sha256", TIMESTAMPED);
        String signature = Webhooks.hmacSha256Base64(SECRET, concat(utf8("1700000000."), BODY));
        var request = Webhooks.post("https://hub.example/in/generic")
                .header("X-Signature", signature).header("X-Timestamp", "1700000000").body(BODY).build();

        var result = scheme.verify(request, NOW.plusSeconds(119));

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void refusesATamperedBody() {
        var scheme = SignatureSchemes.create("hmac-sha256", HEX_PREFIXED);
        var request = signed("X-Hub-Signature-256", "sha256=" + Webhooks.hmacSha256Hex(SECRET, BODY),
                concat(BODY, utf8("\n")));

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesAWrongSecretWithoutRevealingTheExpectedSignature() {
        var scheme = SignatureSchemes.create("hmac-sha256", HEX_PREFIXED);
        var request = signed("X-Hub-Signature-256", "sha256=" + Webhooks.hmacSha256Hex("other", BODY), BODY);

        var result = scheme.verify(request, NOW);

        assertThat(reason(result)).isEqualTo(BAD_SIGNATURE);
        assertThat(detail(result)).doesNotContain(SECRET).doesNotContain(Webhooks.hmacSha256Hex(SECRET, BODY));
    }

    @Test // #3
    void refusesAMissingSignatureOrTimestampHeader() {
        var scheme = SignatureSchemes.create("hmac-sha256", TIMESTAMPED);
        var noSignature = Webhooks.post("https://hub.example/in/generic").header("X-Timestamp", "1").body(BODY).build();
        var noTimestamp = signed("X-Signature", "AAAA", BODY);

        var first = scheme.verify(noSignature, NOW);
        var second = scheme.verify(noTimestamp, NOW);

        assertThat(reason(first)).isEqualTo(MISSING_SIGNATURE);
        assertThat(reason(second)).isEqualTo(MISSING_SIGNATURE);
    }

    @Test // #3
    void refusesMalformedHeadersWithoutThrowing() {
        var hex = SignatureSchemes.create("hmac-sha256", HEX_PREFIXED);
        var timestamped = SignatureSchemes.create("hmac-sha256", TIMESTAMPED);
        var notHex = signed("X-Hub-Signature-256", "sha256=zzzz", BODY);
        var noPrefix = signed("X-Hub-Signature-256", Webhooks.hmacSha256Hex(SECRET, BODY), BODY);
        var badTimestamp = Webhooks.post("https://hub.example/in/generic")
                .header("X-Signature", "!!!").header("X-Timestamp", "yesterday").body(BODY).build();

        assertThat(reason(hex.verify(notHex, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(hex.verify(noPrefix, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(reason(timestamped.verify(badTimestamp, NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test // #3
    void refusesStaleTimestamp() {
        var scheme = SignatureSchemes.create("hmac-sha256", TIMESTAMPED);
        String signature = Webhooks.hmacSha256Base64(SECRET, concat(utf8("1700000000."), BODY));
        var request = Webhooks.post("https://hub.example/in/generic")
                .header("X-Signature", signature).header("X-Timestamp", "1700000000").body(BODY).build();

        var result = scheme.verify(request, NOW.plusSeconds(121));

        assertThat(reason(result)).isEqualTo(STALE_TIMESTAMP);
    }

    @Test // #3
    void acceptsAnyOfSeveralSignaturesAndThePreviousSecret() {
        var scheme = SignatureSchemes.create("hmac-sha256", Map.of("header", "X-Sig", "secret", "new-secret",
                "previous-secret", SECRET));
        String header = "deadbeef, " + Webhooks.hmacSha256Hex(SECRET, BODY);

        var result = scheme.verify(signed("X-Sig", header, BODY), NOW);

        assertThat(result).isEqualTo(Verification.verified());
    }

    @Test // #3
    void reportsBadOptions() {
        var options = Map.of("encoding", "hexx", "signed", "timestamp.body", "tolerance", "5 min");

        var problems = SignatureSchemes.check("hmac-sha256", options);

        assertThat(problems).containsExactlyInAnyOrder(
                "header: is required",
                "encoding: must be hex or base64, was 'hexx'",
                "tolerance: must be a duration such as 5m, 300s or PT5M, was '5 min'",
                "timestamp-header: is required when signed is timestamp.body",
                "secret: is required");
        assertThatThrownBy(() -> SignatureSchemes.create("hmac-sha256", options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoding: must be hex or base64, was 'hexx'");
    }
}
