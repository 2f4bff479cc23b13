package org.touchpointhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mailgun}: the signature travels inside the body ({@code signature.timestamp/token/signature} in JSON, or the
 * legacy form fields) and covers only {@code timestamp + token}, hex HMAC-SHA256 with the signing key, so a token
 * seen before within the tolerance is refused as a replay
 * (https://documentation.mailgun.com/docs/mailgun/user-manual/tracking-messages/#securing-webhooks). Options:
 * {@code secret}, {@code previous-secret}, {@code tolerance} (default 5m), {@code replay-cache-size} (default 10000).
 */
final class MailgunScheme implements SignatureScheme {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<byte[]> keys;
    private final Duration tolerance;
    private final SeenTokens seen;

    MailgunScheme(SchemeOptions o) {
        this.keys = o.rotating("secret").stream().map(Signing::utf8).toList();
        this.tolerance = o.duration("tolerance", Duration.ofMinutes(5));
        String size = o.optional("replay-cache-size", "10000");
        Optional<Long> parsed = Signing.parseLong(size);
        if (parsed.isEmpty() || parsed.get() < 1 || parsed.get() > 10_000_000) {
            o.problem("replay-cache-size", "must be a whole number between 1 and 10000000, was '" + size + "'");
        }
        this.seen = new SeenTokens(parsed.filter(n -> n >= 1 && n <= 10_000_000).orElse(10_000L).intValue());
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String[] fields = fields(request);
        if (fields == null) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE,
                    "no signature object (timestamp, token, signature) in the body");
        }
        String timestamp = fields[0];
        String token = fields[1];
        byte[] signature = Signing.hex(fields[2]);
        byte[] message = Signing.utf8(timestamp + token);
        boolean match = false;
        for (byte[] key : keys) {
            match |= Signing.matches(Signing.hmacSha256(key, message), signature);
        }
        if (!match || token.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, "signature does not match timestamp and token");
        }
        Optional<Instant> signedAt = Signing.epochSeconds(timestamp);
        if (signedAt.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, "timestamp is not a unix time in seconds");
        }
        Verification stale = Signing.staleness(signedAt.get(), now, tolerance);
        if (stale != null) {
            return stale;
        }
        if (!seen.firstSighting(token, signedAt.get().plus(tolerance), now)) {
            return Verification.refused(Verification.Reason.REPLAYED, "token already used within the tolerance window");
        }
        return Verification.verified();
    }

    /** timestamp, token, signature from the form fields or the JSON body; {@code null} when absent. */
    private static String[] fields(WebhookRequest request) {
        List<String> signature = request.form().get("signature");
        if (signature != null && !signature.isEmpty()) {
            return new String[] {first(request.form(), "timestamp"), first(request.form(), "token"), signature.get(0)};
        }
        JsonNode root;
        try {
            root = JSON.readTree(request.body());
        } catch (IOException | RuntimeException e) {
            return null;
        }
        JsonNode node = root == null ? null : root.get("signature");
        if (node == null || !node.isObject() || !node.hasNonNull("signature")) {
            return null;
        }
        return new String[] {text(node, "timestamp"), text(node, "token"), text(node, "signature")};
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() || value.isContainerNode() ? "" : value.asText();
    }

    /**
     * Tokens accepted recently, each remembered until its timestamp leaves the tolerance window; bounded, evicting
     * expired entries first and then the oldest.
     */
    static final class SeenTokens {

        private final int capacity;
        private final LinkedHashMap<String, Instant> expiries = new LinkedHashMap<>();

        SeenTokens(int capacity) {
            this.capacity = capacity;
        }

        /** Records the token and says whether it was new (not seen, or seen but since expired). */
        synchronized boolean firstSighting(String token, Instant expiry, Instant now) {
            Instant previous = expiries.get(token);
            if (previous != null && previous.isAfter(now)) {
                return false;
            }
            expiries.remove(token);
            Iterator<Instant> oldest = expiries.values().iterator();
            while (oldest.hasNext()) {
                Instant candidate = oldest.next();
                if (!candidate.isAfter(now) || expiries.size() >= capacity) {
                    oldest.remove();
                } else {
                    break;
                }
            }
            expiries.put(token, expiry);
            return true;
        }

        synchronized int size() {
            return expiries.size();
        }
    }
}
