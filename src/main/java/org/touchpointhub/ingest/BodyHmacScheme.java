package org.touchpointhub.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HMAC-SHA256 of the raw body (optionally {@code timestamp + "." + body}) carried in one header: the generic
 * {@code hmac-sha256} scheme and the vendor presets {@code typeform} and {@code calcom}. The header may list several
 * signatures separated by commas or spaces (key rotation); any match verifies.
 */
final class BodyHmacScheme implements SignatureScheme {

    private final String header;
    private final String prefix;
    private final String encoding;
    private final String timestampHeader;
    private final Duration tolerance;
    private final List<byte[]> keys;
    private final String refusedLiteral;

    private BodyHmacScheme(String header, String prefix, String encoding, String timestampHeader, Duration tolerance,
            List<String> secrets, String refusedLiteral) {
        this.header = header;
        this.prefix = prefix;
        this.encoding = encoding;
        this.timestampHeader = timestampHeader;
        this.tolerance = tolerance;
        this.keys = secrets.stream().map(Signing::utf8).toList();
        this.refusedLiteral = refusedLiteral;
    }

    /** {@code hmac-sha256}: options header, prefix, encoding, signed, timestamp-header, tolerance, secret. */
    static BodyHmacScheme generic(SchemeOptions o) {
        String header = o.required("header");
        String prefix = o.optional("prefix", "");
        String encoding = o.oneOf("encoding", "hex", "hex", "base64");
        String signed = o.oneOf("signed", "body", "body", "timestamp.body");
        String timestampHeader = o.optional("timestamp-header", null);
        Duration tolerance = o.duration("tolerance", Duration.ofMinutes(5));
        if (signed.equals("timestamp.body") && timestampHeader == null) {
            o.problem("timestamp-header", "is required when signed is timestamp.body");
        }
        return new BodyHmacScheme(header, prefix, encoding, signed.equals("body") ? null : timestampHeader,
                tolerance, o.rotating("secret"), null);
    }

    /**
     * {@code typeform}: {@code Typeform-Signature: sha256=<base64>} over the body; base64, not hex
     * (https://www.typeform.com/developers/webhooks/secure-your-webhooks/).
     */
    static BodyHmacScheme typeform(SchemeOptions o) {
        return new BodyHmacScheme("Typeform-Signature", "sha256=", "base64", null, null, o.rotating("secret"), null);
    }

    /**
     * {@code calcom}: {@code X-Cal-Signature-256: <hex>} over the body. Cal.com builds without a configured secret send
     * the literal {@code no-secret-provided}, which must never pass for a signature
     * (https://cal.com/docs/developing/guides/automation/webhooks).
     */
    static BodyHmacScheme calcom(SchemeOptions o) {
        return new BodyHmacScheme("X-Cal-Signature-256", "", "hex", null, null, o.rotating("secret"),
                "no-secret-provided");
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "no " + header + " header");
        }
        if (value.trim().equals(refusedLiteral)) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    header + " says " + refusedLiteral + ": the sender has no secret configured");
        }
        byte[] message = request.body();
        Instant signedAt = null;
        if (timestampHeader != null) {
            String timestamp = request.header(timestampHeader);
            if (timestamp == null || timestamp.isBlank()) {
                return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "no " + timestampHeader + " header");
            }
            Optional<Instant> parsed = Signing.epochSeconds(timestamp);
            if (parsed.isEmpty()) {
                return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                        timestampHeader + " is not a unix time in seconds");
            }
            signedAt = parsed.get();
            message = Signing.concat(Signing.utf8(timestamp.trim() + "."), message);
        }
        List<byte[]> candidates = new ArrayList<>();
        for (String part : value.trim().split("[,\\s]+")) {
            candidates.add(part.startsWith(prefix) ? Signing.decode(encoding, part.substring(prefix.length())) : null);
        }
        boolean match = false;
        for (byte[] key : keys) {
            match |= Signing.anyMatches(Signing.hmacSha256(key, message), candidates);
        }
        if (!match) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, header + " does not match the body");
        }
        if (signedAt != null) {
            Verification stale = Signing.staleness(signedAt, now, tolerance);
            if (stale != null) {
                return stale;
            }
        }
        return Verification.verified();
    }
}
