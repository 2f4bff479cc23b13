package org.touchpointhub.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hubspot-v3}: {@code X-HubSpot-Signature-v3}, base64 HMAC-SHA256 keyed with the app's client secret over
 * {@code METHOD + URI + body + timestamp}, the timestamp being {@code X-HubSpot-Request-Timestamp} in milliseconds
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests). Options: {@code secret} (client secret),
 * {@code previous-secret}, {@code tolerance} (default 5m).
 */
final class HubSpotV3Scheme implements SignatureScheme {

    private static final String HEADER = "X-HubSpot-Signature-v3";
    private static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";

    /** HubSpot signs the URI with exactly these escapes decoded, and no others. */
    private static final Map<String, String> DECODED = Map.ofEntries(
            Map.entry("%3A", ":"), Map.entry("%2F", "/"), Map.entry("%3F", "?"), Map.entry("%40", "@"),
            Map.entry("%21", "!"), Map.entry("%24", "$"), Map.entry("%27", "'"), Map.entry("%28", "("),
            Map.entry("%29", ")"), Map.entry("%2A", "*"), Map.entry("%2C", ","), Map.entry("%3B", ";"));
    private static final Pattern ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    private final List<byte[]> keys;
    private final Duration tolerance;

    HubSpotV3Scheme(SchemeOptions o) {
        this.keys = o.rotating("secret").stream().map(Signing::utf8).toList();
        this.tolerance = o.duration("tolerance", Duration.ofMinutes(5));
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String signature = request.header(HEADER);
        String timestamp = request.header(TIMESTAMP_HEADER);
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE,
                    "needs " + HEADER + " and " + TIMESTAMP_HEADER + " headers");
        }
        Optional<Instant> signedAt = Signing.epochMillis(timestamp);
        if (signedAt.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    TIMESTAMP_HEADER + " is not a unix time in milliseconds");
        }
        byte[] candidate = Signing.base64(signature);
        byte[] message = Signing.concat(Signing.utf8(request.method() + decodeUri(request.url())), request.body(),
                Signing.utf8(timestamp.trim()));
        boolean match = false;
        for (byte[] key : keys) {
            match |= Signing.matches(Signing.hmacSha256(key, message), candidate);
        }
        if (!match) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, HEADER + " does not match the request");
        }
        Verification stale = Signing.staleness(signedAt.get(), now, tolerance);
        return stale != null ? stale : Verification.verified();
    }

    static String decodeUri(String uri) {
        Matcher m = ESCAPE.matcher(uri);
        var out = new StringBuilder();
        while (m.find()) {
            String escape = m.group().toUpperCase(Locale.ROOT);
            m.appendReplacement(out, Matcher.quoteReplacement(DECODED.getOrDefault(escape, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
