package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The edge counts as saturated while senders queue, and a moment after, so processing does not flap. */
class EdgeLoadTests {

    @Test // #7
    void saturatedFromTheThresholdOnAndForAMomentAfter() {
        EdgeLoad load = new EdgeLoad(3);
        load.enter();
        load.enter();
        assertThat(load.saturated()).isFalse();
        load.enter();
        assertThat(load.saturated()).isTrue();
        load.exit();
        load.exit();
        assertThat(load.inFlight()).isEqualTo(1);
        assertThat(load.saturated()).as("held a moment after the queue went").isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> !load.saturated());
        load.exit();
        assertThat(load.inFlight()).isZero();
    }

    @Test // #7
    void zeroSwitchesItOffAndANegativeThresholdIsRefused() {
        EdgeLoad off = new EdgeLoad(0);
        for (int i = 0; i < 100; i++) {
            off.enter();
        }
        assertThat(off.saturated()).isFalse();
        assertThatThrownBy(() -> new EdgeLoad(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.processing.ingest-priority.in-flight");
    }
}
