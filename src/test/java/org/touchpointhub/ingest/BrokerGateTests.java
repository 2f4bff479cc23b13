package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The edge's broker gate: fast 503s while the broker is down, one probe at a time after the retry interval. */
class BrokerGateTests {

    private final AtomicLong now = new AtomicLong();
    private final BrokerGate gate = new BrokerGate(Duration.ofSeconds(1), now::get);

    @Test // #7
    void openWhileTheBrokerAnswers() {
        // given a gate that never saw a failure, then when many requests arrive, then all may send
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.isDown()).isFalse();
    }

    @Test // #7
    void afterAFailedSendRefusesAtOnceThenLetsOneProbeThrough() {
        // given a failed send
        gate.failed();

        // when requests arrive within the retry interval, then they are refused without trying
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(gate.tryEnter()).isFalse();

        // when the interval has passed, then exactly one request probes while the others are still refused
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isFalse();

        // when the probe fails, then the gate closes for another interval
        gate.failed();
        assertThat(gate.tryEnter()).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());

        // when the next probe succeeds, then everyone may send again
        assertThat(gate.tryEnter()).isTrue();
        gate.succeeded();
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isTrue();
    }

    @Test // #7
    void aProbeThatEndsWithoutAnAnswerLetsTheNextRequestProbe() {
        // given the broker marked down and a probe in flight
        gate.failed();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(gate.tryEnter()).isTrue();

        // when the probe ends with an unrelated error, then the next request may probe
        gate.abandon();
        assertThat(gate.tryEnter()).isTrue();
    }
}
