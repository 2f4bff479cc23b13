package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HostileStrings;

/** The cached phonetic codes equal the uncached Double Metaphone codes, and the cache stays within its bound. */
class BlockingKeysCacheTests {

    @Test // #7
    void phonetic_cachedCodesEqualTheUncachedOnes() {
        List<String> names = new ArrayList<>(Arrays.asList("william", "smith", "schmidt", "jose maria", "o brien",
                "mueller", "muller", "thompson", "x", "1234", "acme"));
        names.addAll(HostileStrings.random(47, 5_000));
        for (int round = 0; round < 2; round++) {
            for (String name : names) {
                assertThat(BlockingKeys.phonetic(name)).as(name).isEqualTo(BlockingKeys.uncachedPhonetic(name));
            }
        }
        assertThat(BlockingKeys.phonetic("smith")).isEqualTo(BlockingKeys.phonetic("smyth"));
    }

    @Test // #7
    void phonetic_cacheStaysBoundedAndHoldsNoLongNames() {
        for (int i = 0; i < BlockingKeys.PHONETIC_CACHE_SIZE + 5_000; i++) {
            BlockingKeys.phonetic("name" + i);
        }
        String longName = "k".repeat(BlockingKeys.MAX_CACHED_LENGTH + 1);
        assertThat(BlockingKeys.phonetic(longName)).isEqualTo(BlockingKeys.uncachedPhonetic(longName));
        assertThat(BlockingKeys.cachedEntries()).isBetween(1L, (long) BlockingKeys.PHONETIC_CACHE_SIZE);
        assertThat(BlockingKeys.cachedKeys()).noneMatch(k -> k.length() > BlockingKeys.MAX_CACHED_LENGTH);
    }
}
