package org.touchpointhub.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stripe's construction, shared by Stripe, Calendly and Paddle: one header holding a timestamp and one or more hex
 * HMAC-SHA256 signatures ({@code t=..,v1=..,v1=..}) over {@code timestamp + joiner + body}. Several signature entries
 * appear while a secret is rolled; any match verifies. Options: {@code secret}, {@code previous-secret},
 * {@code tolerance}.
 */
final class TimestampedHeaderScheme implements SignatureScheme {

    private final String header;
    private final String separator;
    private final String timestampKey;
    private final String signatureKey;
    private final String joiner;
    private final Duration tolerance;
    private final List<byte[]> keys;

    private TimestampedHeaderScheme(SchemeOptions o, Duration defaultTolerance, String header, String separator,
            String timestampKey, String signatureKey, String joiner) {
        this.header = header;
        this.separator = separator;
        this.timestampKey = timestampKey;
        this.signatureKey = signatureKey;
        this.joiner = joiner;
        this.tolerance = o.duration("tolerance", defaultTolerance);
        this.keys = o.rotating("secret").stream().map(Signing::utf8).toList();
    }

    /**
     * {@code stripe}: {@code Stripe-Signature: t=..,v1=..}; the key is the {@code whsec_...} string as is, {@code v0}
     * entries are ignored (https://docs.stripe.com/webhooks#verify-manually).
     */
    static TimestampedHeaderScheme stripe(SchemeOptions o, Duration defaultTolerance) {
        return new TimestampedHeaderScheme(o, defaultTolerance, "Stripe-Signature", ",", "t", "v1", ".");
    }

    /**
     * {@code calendly}: {@code Calendly-Webhook-Signature: t=..,v1=..}, Stripe's construction with the subscription's
     * signing key (https://developer.calendly.com/ (Webhook Signatures)).
     */
    static TimestampedHeaderScheme calendly(SchemeOptions o, Duration defaultTolerance) {
        return new TimestampedHeaderScheme(o, defaultTolerance, "Calendly-Webhook-Signature", ",", "t", "v1", ".");
    }

    /**
     * {@code paddle}: {@code Paddle-Signature: ts=..;h1=..}, signed {@code ts + ":" + body}; Paddle's SDKs allow only
     * 5 s of clock skew by default (https://developer.paddle.com/webhooks/signature-verification).
     */
    static TimestampedHeaderScheme paddle(SchemeOptions o, Duration defaultTolerance) {
        return new TimestampedHeaderScheme(o, defaultTolerance, "Paddle-Signature", ";", "ts", "h1", ":");
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "no " + header + " header");
        }
        String timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (Map.Entry<String, String> entry : Signing.keyValues(value, separator)) {
            if (entry.getKey().equals(timestampKey)) {
                timestamp = entry.getValue();
            } else if (entry.getKey().equals(signatureKey)) {
                candidates.add(Signing.hex(entry.getValue()));
            }
        }
        Optional<Instant> signedAt = Signing.epochSeconds(timestamp);
        if (signedAt.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    header + " has no numeric " + timestampKey + "= timestamp");
        }
        if (candidates.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, header + " has no " + signatureKey + "= signature");
        }
        byte[] message = Signing.concat(Signing.utf8(timestamp + joiner), request.body());
        boolean match = false;
        for (byte[] key : keys) {
            match |= Signing.anyMatches(Signing.hmacSha256(key, message), candidates);
        }
        if (!match) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    "no " + signatureKey + " signature in " + header + " matches the body");
        }
        Verification stale = Signing.staleness(signedAt.get(), now, tolerance);
        return stale != null ? stale : Verification.verified();
    }
}
