package org.touchpointhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** The batch consumer's settings checks and which failures it retries in place rather than dead-letter. */
class InboundConsumersTests {

    @Test // #7
    void aBatchSizeBelowOneIsRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> new InboundConsumers(null, null, 0, 4, 8, 250, 30000, null, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch-size=0").hasMessageContaining("hub.processing");
    }

    @Test // #7
    void noConsumersOrARetryDelayAboveItsMaximumIsRefused() {
        assertThatThrownBy(() -> new InboundConsumers(null, null, 32, 0, 8, 250, 30000, null, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumers=0");
        assertThatThrownBy(() -> new InboundConsumers(null, null, 32, 4, 8, 500, 100, null, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-retry-delay-ms=100");
    }

    @Test // #7
    void aNegativeNumberOfConsumersWhileIngestingIsRefused() {
        assertThatThrownBy(() -> new InboundConsumers(null, null, 8, 4, 8, 250, 30000, null, -1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hub.processing.ingest-priority.consumers");
    }

    @Test // #7
    void aShareOutsideZeroToOneIsRefused() {
        for (double share : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> new InboundConsumers(null, null, 8, 4, 8, 250, 30000, null, 1, share))
                    .as("share %s", share).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("hub.processing.ingest-priority.share");
        }
    }

    @Test // #7
    void aTurnWhileTheEdgeIsSaturatedRestsSoProcessingUsesItsShareOfTheTime() {
        // a batch of 30 ms at a share of 0.3: 70 ms of rest, so the turn works 30 of every 100 ms
        assertThat(InboundConsumers.restMs(30_000_000, 0.3)).isEqualTo(70);
        assertThat(InboundConsumers.restMs(30_000_000, 0.5)).isEqualTo(30);
        // the whole time: no rest
        assertThat(InboundConsumers.restMs(30_000_000, 1.0)).isZero();
        // a batch stuck for seconds does not make the next one wait longer than the cap
        assertThat(InboundConsumers.restMs(5_000_000_000L, 0.1)).isEqualTo(InboundConsumers.MAX_REST_MS);
    }

    @Test // #7
    void anUnreachableDatabaseADeadlockLoserAndALockTimeoutArePassing() {
        assertThat(InboundConsumers.isPassing(new CannotGetJdbcConnectionException("down",
                new SQLTransientConnectionException("refused")))).isTrue();
        assertThat(InboundConsumers.isPassing(new PessimisticLockingFailureException("deadlock detected"))).isTrue();
        assertThat(InboundConsumers.isPassing(new RuntimeException("wrapped", new CannotAcquireLockException("lock")))).isTrue();
    }

    @Test // #7
    void aRollbackOnABrokenConnectionAndAConnectionExceptionArePassing() {
        assertThat(InboundConsumers.isPassing(new org.springframework.transaction.TransactionSystemException(
                "JDBC rollback failed", new java.sql.SQLException("Connection is closed")))).isTrue();
        assertThat(InboundConsumers.isPassing(new org.springframework.jdbc.UncategorizedSQLException("insert", "insert",
                new java.sql.SQLException("An I/O error occurred while sending to the backend", "08006")))).isTrue();
        assertThat(InboundConsumers.isPassing(new java.sql.SQLException("syntax", "42601"))).isFalse();
    }

    @Test // #7
    void aValueTheDatabaseRefusesOrABugIsNotPassing() {
        assertThat(InboundConsumers.isPassing(new DataIntegrityViolationException("timestamp out of range"))).isFalse();
        assertThat(InboundConsumers.isPassing(new IllegalStateException("bug"))).isFalse();
    }
}
