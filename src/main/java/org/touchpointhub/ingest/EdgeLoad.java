package org.touchpointhub.ingest;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How busy the edge is: the webhook and tracking requests in flight. Processing reads it to give the edge priority
 * while senders are queueing ({@code hub.processing.ingest-priority.*}).
 *
 * <p>Why: on a small machine the edge and the consumers share the cores. A sender waits for its 202 (many vendors time
 * out after a few seconds and retry, some disable an endpoint that is slow too often), while an event already queued
 * loses nothing by being processed a little later. So while at least {@code in-flight} requests are being served at
 * once (senders are queueing), consumers pause between batches (see {@code InboundConsumers}); the state holds for
 * {@value #HOLD_MS} ms after the last such moment so it does not flap between requests.
 */
@Component
public class EdgeLoad {

    /** How long the edge counts as saturated after the in-flight count last reached the threshold. */
    static final long HOLD_MS = 250;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int threshold;
    private volatile long saturatedUntil;

    /**
     * @param threshold requests in flight at which the edge counts as saturated; 0 switches ingest priority off
     */
    public EdgeLoad(@Value("${hub.processing.ingest-priority.in-flight:8}") int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("hub.processing.ingest-priority.in-flight must be 0 (off) or more, not "
                    + threshold);
        }
        this.threshold = threshold;
    }

    /** A request starts; call {@link #exit} when it is answered. */
    public void enter() {
        int now = inFlight.incrementAndGet();
        if (threshold > 0 && now >= threshold) {
            saturatedUntil = System.nanoTime() + HOLD_MS * 1_000_000;
        }
    }

    /** A request was answered. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    /** Serves one request, counted in flight while it runs. */
    <T> T serving(java.util.function.Supplier<T> request) {
        enter();
        try {
            return request.get();
        } finally {
            exit();
        }
    }

    /** Requests being served now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether senders are queueing at the edge now or were a moment ago. */
    public boolean saturated() {
        if (threshold == 0) {
            return false;
        }
        return inFlight.get() >= threshold || System.nanoTime() - saturatedUntil < 0;
    }
}
