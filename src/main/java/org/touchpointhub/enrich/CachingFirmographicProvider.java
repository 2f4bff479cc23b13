package org.touchpointhub.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * A Caffeine cache in front of a provider, keyed by the cleaned domain: an answer lives {@code ttl}, "knows nothing"
 * the shorter {@code negativeTtl} (a provider learns new companies), a failure not at all (Caffeine does not store a
 * value whose loader threw), so a 429 or a timeout is asked again on the next look-up. Time comes from a
 * {@link Ticker} so tests move it instead of waiting.
 */
final class CachingFirmographicProvider implements FirmographicProvider {

    private final FirmographicProvider provider;
    private final Cache<String, Optional<Firmographics>> cache;

    CachingFirmographicProvider(FirmographicProvider provider, long maximumSize, Duration ttl, Duration negativeTtl, Ticker ticker) {
        if (maximumSize < 0 || ttl.isNegative() || negativeTtl.isNegative()) {
            throw new IllegalArgumentException("cache size and times must not be negative");
        }
        this.provider = provider;
        long positive = ttl.toNanos();
        long negative = negativeTtl.toNanos();
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).ticker(ticker)
                .expireAfter(new Expiry<String, Optional<Firmographics>>() {
                    @Override
                    public long expireAfterCreate(String key, Optional<Firmographics> value, long currentTime) {
                        return value.isPresent() ? positive : negative;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Optional<Firmographics> value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Optional<Firmographics> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    @Override
    public Optional<Firmographics> lookup(String domain) {
        Optional<String> host = Domains.host(domain);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        return cache.get(host.get(), provider::lookup);
    }
}
