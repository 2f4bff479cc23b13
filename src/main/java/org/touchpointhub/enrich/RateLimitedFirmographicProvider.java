package org.touchpointhub.enrich;

import com.google.common.util.concurrent.RateLimiter;
import java.util.Optional;

/**
 * At most so many look-ups a second reach the provider; one over the limit fails at once with {@link Unavailable}
 * ({@code rate_limited}) and is asked again later. Never waits: a caller holding a database transaction must not block.
 *
 * <p>Why Guava's {@link RateLimiter}: Guava is already on the classpath for the Public Suffix List, and its
 * {@code tryAcquire()} takes a permit without waiting; Resilience4j would add a library (and its registry) for the
 * same one call.
 */
@SuppressWarnings("UnstableApiUsage")
final class RateLimitedFirmographicProvider implements FirmographicProvider {

    private final FirmographicProvider provider;
    private final RateLimiter limiter;

    RateLimitedFirmographicProvider(FirmographicProvider provider, double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("hub.enrich.firmographics.rate-per-second must be positive, not " + permitsPerSecond);
        }
        this.provider = provider;
        this.limiter = RateLimiter.create(permitsPerSecond);
    }

    @Override
    public Optional<Firmographics> lookup(String domain) {
        if (!limiter.tryAcquire()) {
            throw new Unavailable("rate_limited", "over the firmographics rate limit of " + limiter.getRate() + "/s", null);
        }
        return provider.lookup(domain);
    }
}
