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
 * {@code sendgrid}: the signed Event Webhook, an ECDSA P-256 / SHA-256 DER signature (base64) over
 * {@code timestamp + body} with no separator
 * (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features).
 * Options: {@code public-key} (base64 SubjectPublicKeyInfo, the "Verification Key"), {@code previous-public-key},
 * and {@code tolerance}, unset by default because SendGrid's libraries check no time.
 */
final class SendGridScheme implements SignatureScheme {

    static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private final List<PublicKey> keys = new ArrayList<>();
    private final Duration tolerance;

    SendGridScheme(SchemeOptions o) {
        for (String name : List.of("public-key", "previous-public-key")) {
            String text = name.equals("public-key") ? o.required(name) : o.optional(name, null);
            if (text != null && !text.isEmpty()) {
                PublicKey key = ecKey(text);
                if (key == null) {
                    o.problem(name, "must be the base64 of an X.509 SubjectPublicKeyInfo EC P-256 key");
                } else {
                    keys.add(key);
                }
            }
        }
        this.tolerance = o.duration("tolerance", null);
    }

    private static PublicKey ecKey(String base64) {
        byte[] der = Signing.base64(base64);
        if (der == null) {
            return null;
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String signature = request.header(SIGNATURE_HEADER);
        String timestamp = request.header(TIMESTAMP_HEADER);
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE,
                    "needs " + SIGNATURE_HEADER + " and " + TIMESTAMP_HEADER + " headers");
        }
        Optional<Instant> signedAt = Signing.epochSeconds(timestamp);
        if (signedAt.isEmpty()) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    TIMESTAMP_HEADER + " is not a unix time in seconds");
        }
        byte[] der = Signing.base64(signature);
        byte[] message = Signing.concat(Signing.utf8(timestamp), request.body());
        boolean match = false;
        for (PublicKey key : keys) {
            match |= der != null && verifies(key, message, der);
        }
        if (!match) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE,
                    SIGNATURE_HEADER + " does not match timestamp and body");
        }
        Verification stale = tolerance == null ? null : Signing.staleness(signedAt.get(), now, tolerance);
        return stale != null ? stale : Verification.verified();
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] der) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(der);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
