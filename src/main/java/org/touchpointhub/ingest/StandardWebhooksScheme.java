package org.touchpointhub.ingest;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code standard-webhooks}: the Standard Webhooks spec v1 (https://www.standardwebhooks.com/), also under Svix's
 * {@code svix-*} header names. {@code webhook-signature} lists {@code v1,<base64 HMAC-SHA256>} and
 * {@code v1a,<base64 ed25519>} entries separated by spaces over {@code id + "." + timestamp + "." + body}. Options:
 * {@code secret} ({@code whsec_<base64>}) and/or {@code public-key} ({@code whpk_<base64>} of the raw 32-byte ed25519
 * key), their {@code previous-} variants, and {@code tolerance} (default 5m, past or future).
 */
final class StandardWebhooksScheme implements SignatureScheme {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = Signing.hex("302a300506032b6570032100");

    private final List<byte[]> keys = new ArrayList<>();
    private final List<PublicKey> publicKeys = new ArrayList<>();
    private final Duration tolerance;

    StandardWebhooksScheme(SchemeOptions o) {
        for (String name : List.of("secret", "previous-secret")) {
            String secret = o.optional(name, null);
            if (secret != null) {
                // The key is the base64 after whsec_, unlike Stripe which uses the whole string.
                byte[] key = Signing.base64(secret.startsWith("whsec_") ? secret.substring(6) : secret);
                if (key == null || key.length == 0) {
                    o.problem(name, "must be whsec_ followed by base64");
                } else {
                    keys.add(key);
                }
            }
        }
        for (String name : List.of("public-key", "previous-public-key")) {
            String text = o.optional(name, null);
            if (text != null) {
                PublicKey key = ed25519(text.startsWith("whpk_") ? text.substring(5) : text);
                if (key == null) {
                    o.problem(name, "must be whpk_ followed by the base64 of a 32-byte ed25519 public key");
                } else {
                    publicKeys.add(key);
                }
            }
        }
        if (o.optional("secret", null) == null && o.optional("public-key", null) == null) {
            o.problem("secret", "is required (or public-key for v1a ed25519 signatures)");
        }
        this.tolerance = o.duration("tolerance", Duration.ofMinutes(5));
    }

    private static PublicKey ed25519(String base64) {
        byte[] raw = Signing.base64(base64);
        if (raw == null || raw.length != 32) {
            return null;
        }
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Signing.concat(ED25519_SPKI_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String prefix = request.header("webhook-signature") != null ? "webhook-" : "svix-";
        String id = request.header(prefix + "id");
        String timestamp = request.header(prefix + "timestamp");
        String signatures = request.header(prefix + "signature");
        if (id == null || timestamp == null || signatures == null || signatures.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE,
                    "needs webhook-id, webhook-timestamp and webhook-signature headers (or svix-*)");
        }
        Optional<Instant> signedAt = Signing.epochSeconds(timestamp);
        if (signedAt.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    prefix + "timestamp is not a unix time in seconds");
        }
        byte[] message = Signing.concat(Signing.utf8(id + "." + timestamp.trim() + "."), request.body());
        List<byte[]> hmacs = new ArrayList<>();
        for (byte[] key : keys) {
            hmacs.add(Signing.hmacSha256(key, message));
        }
        boolean match = false;
        for (String entry : signatures.trim().split("\\s+")) {
            int comma = entry.indexOf(',');
            String version = comma < 0 ? "" : entry.substring(0, comma);
            byte[] signature = comma < 0 ? null : Signing.base64(entry.substring(comma + 1));
            if (signature == null) {
                continue;
            }
            if (version.equals("v1")) {
                for (byte[] expected : hmacs) {
                    match |= Signing.matches(expected, signature);
                }
            } else if (version.equals("v1a")) {
                for (PublicKey key : publicKeys) {
                    match |= verifiesEd25519(key, message, signature);
                }
            }
        }
        if (!match) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    "no signature in " + prefix + "signature matches");
        }
        Verification stale = Signing.staleness(signedAt.get(), now, tolerance);
        return stale != null ? stale : Verification.verified();
    }

    private static boolean verifiesEd25519(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
