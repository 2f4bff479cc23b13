package org.touchpointhub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test // #4
    void delayDoublesPerFailureWithinEqualJitterAndStopsAtTheMaximum() {
        // given
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.999_999);

        // when / then
        assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(high.delay(1)).isEqualTo(Duration.ofMillis(999));
        assertThat(low.delay(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(high.delay(4)).isEqualTo(Duration.ofMillis(7_999));
        assertThat(low.delay(30)).isEqualTo(Duration.ofMillis(150_000));
        assertThat(high.delay(1_000)).isLessThan(Duration.ofMinutes(5)).isGreaterThan(Duration.ofMillis(299_000));
    }

    @Test // #4
    void refusesAMaximumBelowTheFirstDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
