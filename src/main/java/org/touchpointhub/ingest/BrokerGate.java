package org.touchpointhub.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Answers webhooks 503 at once while the broker is known to be unreachable, letting one request at a time find out
 * whether it is back.
 *
 * <p>Why: every JMS send goes through one shared connection, created under one lock; while the broker is down each
 * attempt to create it takes the client's retry interval per known server (about 2 s with Artemis defaults), so
 * without this gate every webhook thread queues behind the previous one, answers come after tens of seconds or the
 * sender times out, and Tomcat runs out of threads. With it, a failed send closes the gate for {@code retryAfter};
 * then a single request probes the broker while the others keep getting a fast 503 (half-open circuit).
 */
final class BrokerGate {

    private final long retryAfterNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean down;
    private volatile long closedUntil;

    BrokerGate(Duration retryAfter, LongSupplier nanoTime) {
        this.retryAfterNanos = retryAfter.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Whether this request may try to send; true also makes it the probe while the broker is down, which it must end
     * with {@link #succeeded()} or {@link #failed()}.
     */
    boolean tryEnter() {
        if (!down) {
            return true;
        }
        return nanoTime.getAsLong() - closedUntil >= 0 && probing.compareAndSet(false, true);
    }

    /** A send went through: the broker is reachable. */
    void succeeded() {
        down = false;
        probing.set(false);
    }

    /** A send failed: answer 503 without trying for the retry interval. */
    void failed() {
        closedUntil = nanoTime.getAsLong() + retryAfterNanos;
        down = true;
        probing.set(false);
    }

    /** A probe ended without an answer about the broker: let the next request probe. */
    void abandon() {
        probing.set(false);
    }

    /** Whether sends are currently refused without trying. */
    boolean isDown() {
        return down;
    }
}
