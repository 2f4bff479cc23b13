package org.touchpointhub.ingest;

import java.time.Instant;

/**
 * How one sender proves a webhook is genuine: an HMAC over some bytes, a public-key signature, a shared token or
 * HTTP Basic credentials. Implementations are created from a connector file's {@code verify} block by
 * {@link SignatureSchemes#create}, and are thread-safe.
 */
public interface SignatureScheme {

    /**
     * Checks one request.
     *
     * @param request the request with its exact body bytes
     * @param now     the current time, for timestamp tolerance and replay windows
     */
    Verification verify(WebhookRequest request, Instant now);
}
