package org.touchpointhub.ingest;

import java.time.Instant;
import java.util.List;

/**
 * {@code basic}: HTTP Basic credentials ({@code user}, {@code password}), as Chargebee sends them since its webhooks
 * carry no signature (https://www.chargebee.com/docs/2.0/webhook_settings.html).
 */
final class BasicAuthScheme implements SignatureScheme {

    private final List<byte[]> digests;

    BasicAuthScheme(SchemeOptions options) {
        String user = options.required("user");
        this.digests = options.rotating("password").stream()
                .map(password -> Signing.sha256(Signing.utf8(user + ":" + password)))
                .toList();
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String authorization = request.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "no Authorization header");
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, "Authorization is not Basic credentials");
        }
        byte[] credentials = Signing.base64(authorization.substring(6).trim());
        if (credentials == null) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, "Basic credentials are not base64");
        }
        if (!Signing.anyMatches(Signing.sha256(credentials), digests)) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, "Basic credentials do not match");
        }
        return Verification.verified();
    }
}
