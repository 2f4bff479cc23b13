package org.touchpointhub.crm;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with "equal jitter": the n-th consecutive failure waits between half and all of
 * {@code initial * 2^(n-1)}, capped at {@code max}. The jitter keeps several hub instances that saw the same outage
 * from knocking on the CRM's door in the same millisecond when it comes back.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The pause after {@code failures} consecutive failed attempts (1 for the first). */
    Duration delay(int failures) {
        long cap = max.toMillis();
        long base = initial.toMillis();
        for (int i = 1; i < failures && base < cap; i++) {
            base *= 2;
        }
        base = Math.min(base, cap);
        long half = base / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (base - half)));
    }
}
