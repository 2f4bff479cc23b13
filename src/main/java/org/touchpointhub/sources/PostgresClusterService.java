package org.touchpointhub.sources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camel cluster service whose leader, per namespace, is the hub instance that holds a PostgreSQL session-level
 * advisory lock on the namespace, so Camel's own {@code ClusteredRoutePolicy} runs the pollers on one instance at a
 * time.
 *
 * <p>Why this design: Camel 4.17 ships cluster services for files, Kubernetes, ZooKeeper, Consul, JGroups and
 * Infinispan, none for a database, and PostgreSQL is the one thing every hub instance already shares. A session
 * lock is held exactly as long as the instance's connection lives: a clean stop unlocks it, a killed process or a
 * lost network frees it when PostgreSQL drops the session, and the next instance to try takes over within one check
 * interval. Each view keeps one connection borrowed from the pool for as long as it runs, and unlocks before it
 * gives the connection back (a returned connection would otherwise carry the lock to whoever borrows it next). The
 * check is a cheap {@code pg_try_advisory_lock}, never a wait.
 */
final class PostgresClusterService extends AbstractCamelClusterService<PostgresClusterService.View> {

    private static final Logger log = LoggerFactory.getLogger(PostgresClusterService.class);

    private final DataSource dataSource;
    private final Duration checkInterval;
    private final String memberId = "hub-" + UUID.randomUUID();

    PostgresClusterService(DataSource dataSource, Duration checkInterval) {
        super("postgres-advisory-lock");
        this.dataSource = dataSource;
        this.checkInterval = checkInterval;
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    /** One namespace's view: this instance is its leader while it holds the namespace's advisory lock. */
    final class View extends AbstractCamelClusterView {

        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return memberId;
            }
        };
        private volatile boolean leader;
        private Connection connection;
        private ScheduledExecutorService timer;

        View(PostgresClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local); // the others are not known: only who holds the lock
        }

        @Override
        protected void doStart() {
            timer = getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "leader-election-" + getNamespace());
            timer.scheduleWithFixedDelay(this::check, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            if (timer != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(timer);
                timer = null;
            }
            synchronized (this) {
                if (leader) {
                    leader = false;
                    fireLeadershipChangedEvent(Optional.empty());
                }
                closeConnection(); // closing the session releases the lock at once, so another instance takes over
            }
        }

        synchronized void check() {
            try {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(true);
                }
                if (leader) {
                    if (!connection.isValid(5)) {
                        throw new SQLException("leader connection is no longer valid");
                    }
                    return;
                }
                try (PreparedStatement ps = connection.prepareStatement("select pg_try_advisory_lock(hashtextextended(?, 0))")) {
                    ps.setString(1, lockText());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getBoolean(1)) {
                            leader = true;
                            log.info("This instance ({}) leads '{}': its pollers run here", memberId, getNamespace());
                            fireLeadershipChangedEvent(local);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (leader) {
                    log.warn("Lost the lead of '{}' ({}); its pollers stop here", getNamespace(), e.getMessage());
                    leader = false;
                    fireLeadershipChangedEvent(Optional.empty());
                }
                closeConnection();
            }
        }

        private String lockText() {
            return "touchpointhub:cluster:" + getNamespace();
        }

        private void closeConnection() {
            if (connection != null) {
                try (var st = connection.createStatement()) {
                    // the connection goes back to the pool, not away: the session's locks must go first
                    st.execute("select pg_advisory_unlock_all()");
                } catch (SQLException e) {
                    // a broken session: PostgreSQL drops it and its locks, and the pool evicts it
                }
                try {
                    connection.close();
                } catch (SQLException e) {
                    // nothing more to release
                }
                connection = null;
            }
        }
    }
}
