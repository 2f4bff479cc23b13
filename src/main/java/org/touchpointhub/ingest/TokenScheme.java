package org.touchpointhub.ingest;

import java.time.Instant;
import java.util.List;

/**
 * {@code token}: a shared secret sent as is, in a header ({@code header}) or a query parameter ({@code query},
 * default {@code token}), for senders without signatures such as Jotform or Mailchimp. When {@code header} is set the
 * header is read first and the query parameter only if {@code query} is set too.
 */
final class TokenScheme implements SignatureScheme {

    private final String header;
    private final String query;
    private final List<byte[]> digests;

    TokenScheme(SchemeOptions options) {
        this.header = options.optional("header", null);
        this.query = options.optional("query", header == null ? "token" : null);
        this.digests = options.rotating("secret").stream()
                .map(secret -> Signing.sha256(Signing.utf8(secret)))
                .toList();
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String presented = header == null ? null : request.header(header);
        if (presented == null && query != null) {
            presented = request.queryParam(query);
        }
        if (presented == null || presented.isEmpty()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "no token in " + where());
        }
        // Hashing first keeps the comparison constant-time even when the lengths differ.
        byte[] presentedDigest = Signing.sha256(Signing.utf8(presented));
        if (!Signing.anyMatches(presentedDigest, digests)) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, "token in " + where() + " does not match");
        }
        return Verification.verified();
    }

    private String where() {
        if (header != null && query != null) {
            return "header " + header + " or query parameter " + query;
        }
        return header != null ? "header " + header : "query parameter " + query;
    }
}
