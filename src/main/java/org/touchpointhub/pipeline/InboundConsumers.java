package org.touchpointhub.pipeline;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.ingest.EdgeLoad;

/**
 * The transacted consumers of {@code hub.inbound}: each takes a batch of up to {@code hub.processing.batch-size}
 * messages and processes it as ONE PostgreSQL transaction ({@link EventPipeline#processBatch}); the JMS session
 * commits (acknowledges the whole batch) only after the database did. A crash in between redelivers the batch, and
 * the unique (connector, event id) makes every repeat a no-op.
 *
 * <p>Why hand-written rather than a Camel route or a Spring listener container: both hand one message per
 * transaction to the listener and commit after each, so a batch cannot share one database transaction and one JMS
 * acknowledgement; a commit per event (an fsync, ~20 round trips) was the ceiling of processing (#7). The loop is
 * small: receive the first message with a timeout, then whatever the client has buffered already without waiting,
 * in arrival order (a message group, one person, stays on one consumer, so per-person order is kept).
 *
 * <p>Failures: a passing error (database down, deadlock loser, serialization failure, see {@link #isPassing}) rolls
 * the database back and retries the same batch in place with exponential back-off, without limit, inside the open
 * JMS transaction: nothing lost, nothing reordered, and a broker's own redelivery limit never applies. Any other
 * error rolls back and processes the batch's messages one at a time, each in its own transaction; one that still
 * fails becomes a dead letter with its raw payload; then the batch is acknowledged. A broken broker connection is
 * closed and opened again by each consumer, every {@value #RECONNECT_MAX_MS} ms at most, so the hub reconnects by
 * itself after a broker restart.
 *
 * <p>Consumers: {@code hub.processing.consumers} run always; while batches come full (a backlog) one more is added,
 * at most one a second, up to {@code hub.processing.max-consumers}; an added consumer stops after
 * {@value #IDLE_RECEIVES} empty receives. Started after Camel and the web server (Flyway ran before any of them),
 * stopped after the web server drained its requests: a consumer finishes its batch and stops receiving.
 */
@Component
class InboundConsumers implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(InboundConsumers.class);

    /** How long a consumer waits for the first message of a batch before looking at {@link #running} again. */
    static final long RECEIVE_TIMEOUT_MS = 500;
    /** The longest pause between two attempts to reach the broker again (the broker is back within a second or two). */
    static final long RECONNECT_MAX_MS = 2000;
    /** Empty receives after which a consumer added for a backlog stops. */
    static final int IDLE_RECEIVES = 20;
    /** How often a consumer waiting for its turn looks whether the edge is still saturated. */
    static final long TURN_CHECK_MS = 50;
    /** The longest rest after one batch while the edge is saturated ({@code hub.processing.ingest-priority.share}). */
    static final long MAX_REST_MS = 1000;

    private final EventPipeline pipeline;
    private final EdgeLoad edgeLoad;
    /** Turns to process while the edge is saturated; fair, so every consumer (and its message groups) gets its turn. */
    private final Semaphore whileIngesting;
    /** The fraction of its time a processing turn may work while the edge is saturated; it rests the remainder. */
    private final double shareWhileIngesting;
    private final ConnectionFactory factory;
    private final int batchSize;
    private final int consumers;
    private final int maxConsumers;
    private final long retryDelayMs;
    private final long maxRetryDelayMs;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    private final Object pause = new Object();
    private volatile boolean running;
    private volatile long lastScaleUp;
    private int named;

    InboundConsumers(EventPipeline pipeline, ConnectionFactory factory,
            @Value("${hub.processing.batch-size:8}") int batchSize,
            @Value("${hub.processing.consumers:8}") int consumers,
            @Value("${hub.processing.max-consumers:8}") int maxConsumers,
            @Value("${hub.processing.retry-delay-ms:250}") long retryDelayMs,
            @Value("${hub.processing.max-retry-delay-ms:30000}") long maxRetryDelayMs,
            EdgeLoad edgeLoad, @Value("${hub.processing.ingest-priority.consumers:1}") int consumersWhileIngesting,
            @Value("${hub.processing.ingest-priority.share:0.3}") double shareWhileIngesting) {
        if (batchSize < 1 || consumers < 1 || maxConsumers < 1 || retryDelayMs < 1 || maxRetryDelayMs < retryDelayMs) {
            throw new IllegalArgumentException("hub.processing: batch-size, consumers and max-consumers must be at least 1, "
                    + "retry-delay-ms at least 1 and max-retry-delay-ms at least retry-delay-ms (got batch-size=" + batchSize
                    + ", consumers=" + consumers + ", max-consumers=" + maxConsumers + ", retry-delay-ms=" + retryDelayMs
                    + ", max-retry-delay-ms=" + maxRetryDelayMs + ")");
        }
        if (consumersWhileIngesting < 0) {
            throw new IllegalArgumentException("hub.processing.ingest-priority.consumers must be 0 (off) or more, not "
                    + consumersWhileIngesting);
        }
        if (!(shareWhileIngesting > 0 && shareWhileIngesting <= 1)) {
            throw new IllegalArgumentException("hub.processing.ingest-priority.share must be above 0 and at most 1 (the"
                    + " fraction of their time the processing turns may use while the edge is saturated), not "
                    + shareWhileIngesting);
        }
        this.shareWhileIngesting = shareWhileIngesting;
        this.edgeLoad = consumersWhileIngesting == 0 ? null : edgeLoad;
        this.whileIngesting = new Semaphore(Math.max(1, consumersWhileIngesting), true);
        this.pipeline = pipeline;
        // our own connections, not the shared (caching) one the edge sends on: a consumer's session lives as long as
        // the consumer, and a broken connection is replaced by this consumer alone
        this.factory = factory instanceof SingleConnectionFactory single && single.getTargetConnectionFactory() != null
                ? single.getTargetConnectionFactory() : factory;
        this.batchSize = batchSize;
        this.consumers = consumers;
        this.maxConsumers = Math.max(consumers, maxConsumers);
        this.retryDelayMs = retryDelayMs;
        this.maxRetryDelayMs = maxRetryDelayMs;
    }

    /** After Camel (phase MAX-2049) and the web server (MAX-2048); stopped after the web server's graceful drain (MAX-1024). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1536;
    }

    @Override
    public synchronized void start() {
        running = true;
        for (int i = 0; i < consumers; i++) {
            startConsumer(false);
        }
        log.info("Processing hub.inbound with {} consumers (up to {}), batches of up to {} events", consumers, maxConsumers, batchSize);
    }

    private synchronized void startConsumer(boolean extra) {
        active.incrementAndGet();
        Thread t = new Thread(() -> consume(extra), "hub-inbound-" + (++named));
        t.setDaemon(true);
        threads.removeIf(x -> !x.isAlive());
        threads.add(t);
        t.start();
    }

    @Override
    public void stop() {
        List<Thread> running;
        synchronized (this) {
            this.running = false;
            running = new ArrayList<>(threads);
        }
        synchronized (pause) {
            pause.notifyAll();
        }
        long deadline = System.currentTimeMillis() + 15_000;
        for (Thread t : running) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Health health() {
        if (!running) {
            return Health.unknown().withDetail("consumers", 0).build();
        }
        int c = connected.get();
        return (c > 0 ? Health.up() : Health.down()).withDetail("consumers", active.get()).withDetail("connected", c)
                .withDetail("batchSize", batchSize).build();
    }

    private void consume(boolean extra) {
        long reconnectDelay = 100;
        int idle = 0;
        try {
            while (running) {
                Connection connection = null;
                boolean isConnected = false;
                try {
                    connection = factory.createConnection();
                    boolean[] broken = {false};
                    connection.setExceptionListener(e -> broken[0] = true);
                    Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                    MessageConsumer consumer = session.createConsumer(session.createQueue(HubHeaders.INBOUND_QUEUE));
                    connection.start();
                    connected.incrementAndGet();
                    isConnected = true;
                    reconnectDelay = 100;
                    while (running && !broken[0]) {
                        List<InboundEnvelope> batch = receive(consumer);
                        if (batch.isEmpty()) {
                            if (extra && ++idle >= IDLE_RECEIVES) {
                                return;
                            }
                            continue;
                        }
                        idle = 0;
                        // ingest priority: while senders queue at the edge, only a few consumers process at a time
                        boolean turn = edgeLoad != null && edgeLoad.saturated() && awaitTurn();
                        long started = System.nanoTime();
                        boolean handled = false;
                        boolean committed = false;
                        try {
                            handled = handle(batch);
                            if (handled) {
                                session.commit();
                                committed = true;
                            }
                        } finally {
                            if (turn) {
                                if (committed) {
                                    restWhileIngesting(System.nanoTime() - started);
                                }
                                whileIngesting.release();
                            }
                        }
                        if (!handled) {
                            return; // stopping during a database outage: not acknowledged, redelivered at the next start
                        }
                        if (batch.size() == batchSize) {
                            scaleUp();
                        }
                    }
                } catch (JMSException | RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    if (e instanceof RuntimeException && !(e instanceof jakarta.jms.JMSRuntimeException)) {
                        // not the broker: a bug in the loop itself; keep consuming after a pause, the batch comes again
                        log.error("Consumer of {} failed; reconnecting", HubHeaders.INBOUND_QUEUE, e);
                    } else {
                        log.warn("Broker connection of a {} consumer lost or refused ({}); retrying in {} ms",
                                HubHeaders.INBOUND_QUEUE, String.valueOf(e.getMessage()).lines().findFirst().orElse(""), reconnectDelay);
                    }
                    pause(reconnectDelay);
                    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
                } finally {
                    if (isConnected) {
                        connected.decrementAndGet();
                    }
                    close(connection);
                }
            }
        } finally {
            active.decrementAndGet();
        }
    }

    /**
     * The first message with a timeout, then what arrived already, up to the batch size, in arrival order; each read
     * at once (a large, streamed message's body is gone once the next message is received).
     */
    private List<InboundEnvelope> receive(MessageConsumer consumer) throws JMSException {
        Message first = consumer.receive(RECEIVE_TIMEOUT_MS);
        if (first == null) {
            return List.of();
        }
        List<InboundEnvelope> batch = new ArrayList<>(batchSize);
        batch.add(envelope(first));
        while (batch.size() < batchSize) {
            Message next = consumer.receiveNoWait();
            if (next == null) {
                break;
            }
            batch.add(envelope(next));
        }
        return batch;
    }

    private void scaleUp() {
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (running && active.get() < maxConsumers && now - lastScaleUp >= 1000) {
                lastScaleUp = now;
                startConsumer(true);
            }
        }
    }

    /**
     * Processes one batch until it is done (processed, duplicates, dead letters); returns false only when the hub is
     * stopping while the database is unavailable (then nothing is acknowledged).
     */
    private boolean handle(List<InboundEnvelope> envelopes) {
        boolean whole = retrying(() -> {
            try {
                List<EventPipeline.Prepared> prepared = new ArrayList<>(envelopes.size());
                for (InboundEnvelope e : envelopes) {
                    prepared.add(pipeline.prepare(e));
                }
                pipeline.processBatch(prepared);
                return true;
            } catch (RuntimeException e) {
                if (isPassing(e) || envelopes.size() == 1) {
                    throw e;
                }
                log.warn("A batch of {} events failed ({}); processing them one at a time", envelopes.size(),
                        e.getClass().getSimpleName());
                return false;
            }
        }, envelopes.get(0));
        if (whole) {
            return true;
        }
        for (InboundEnvelope e : envelopes) {
            if (!retrying(() -> {
                processOne(e);
                return true;
            }, e)) {
                return false;
            }
        }
        return true;
    }

    /** Today's path for one event: its own transaction; a failure that is not passing makes it a dead letter. */
    private void processOne(InboundEnvelope envelope) {
        try {
            pipeline.process(envelope);
        } catch (RuntimeException e) {
            if (isPassing(e)) {
                throw e;
            }
            // not passing: keep the raw event as a dead letter rather than redeliver it forever
            log.error("Processing event {} of {} failed; recording a dead letter", envelope.eventId(), envelope.connector(), e);
            pipeline.deadLetter(envelope, "processing failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A step that may meet a passing error. */
    private interface Step {
        boolean run();
    }

    /**
     * Runs a step until it gets through passing errors, with exponential back-off; a single-event step that fails
     * otherwise becomes a dead letter. Returns the step's answer, or false when the hub stops meanwhile.
     */
    private boolean retrying(Step step, InboundEnvelope first) {
        long delay = retryDelayMs;
        int attempt = 0;
        while (true) {
            try {
                return step.run();
            } catch (RuntimeException e) {
                if (!isPassing(e)) {
                    // a batch of one that failed: the same as processOne
                    log.error("Processing event {} of {} failed; recording a dead letter", first.eventId(), first.connector(), e);
                    try {
                        pipeline.deadLetter(first, "processing failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        return true;
                    } catch (RuntimeException again) {
                        if (!isPassing(again)) {
                            throw again;
                        }
                        e = again;
                    }
                }
                if (!running) {
                    return false;
                }
                attempt++;
                log.warn("Database unavailable ({}); retrying the same events in {} ms (attempt {})",
                        e.getClass().getSimpleName(), delay, attempt);
                pause(delay);
                if (!running) {
                    return false;
                }
                delay = Math.min(delay * 2, maxRetryDelayMs);
            }
        }
    }

    /**
     * Rests after a batch processed in a turn, holding the turn, so processing uses at most {@code share} of the turn's
     * time while the edge stays saturated: a batch that took {@code t} is followed by {@code t × (1 − share) / share}
     * of rest (at most {@value #MAX_REST_MS} ms), cut short when the edge calms down or the hub stops.
     */
    private void restWhileIngesting(long workedNanos) {
        long restMs = restMs(workedNanos, shareWhileIngesting);
        if (restMs == 0) {
            return;
        }
        long until = System.nanoTime() + restMs * 1_000_000;
        while (running && edgeLoad.saturated()) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            pause(Math.min(left, TURN_CHECK_MS));
        }
    }

    /** The rest after a batch that took {@code workedNanos}, for a turn that may work {@code share} of its time. */
    static long restMs(long workedNanos, double share) {
        if (share >= 1) {
            return 0;
        }
        return Math.min(MAX_REST_MS, Math.round(workedNanos / 1e6 * (1 - share) / share));
    }

    /**
     * Waits for a turn to process while the edge is saturated; true with a permit to release, false without one (the
     * edge calmed down meanwhile, or the hub stops: the batch is then processed, or left, as usual).
     */
    private boolean awaitTurn() {
        try {
            while (running) {
                if (whileIngesting.tryAcquire(TURN_CHECK_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (!edgeLoad.saturated()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void pause(long ms) {
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static InboundEnvelope envelope(Message m) throws JMSException {
        byte[] body;
        if (m instanceof BytesMessage bytes) {
            // read in chunks until the end: one readBytes of a large (streamed) message may return only part of it.
            // The chunk is no larger than the body: a fixed 64 KB chunk per message was a quarter of the hub's
            // allocation for ~1 KB webhooks (JFR, #7), and so of its garbage-collection work.
            long length = bytes.getBodyLength();
            byte[] chunk = new byte[(int) Math.max(1, Math.min(length, 64 * 1024))];
            int first = bytes.readBytes(chunk);
            if (first == length && first == chunk.length) {
                body = chunk; // the whole body in one read, the common case: no copy
            } else {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(length, 1 << 20));
                for (int n = first; n > 0; n = bytes.readBytes(chunk)) {
                    out.write(chunk, 0, n);
                }
                body = out.toByteArray();
            }
        } else if (m instanceof TextMessage text) {
            body = text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        } else {
            body = m.getBody(byte[].class);
        }
        Instant received = m.propertyExists(HubHeaders.RECEIVED_AT)
                ? Instant.ofEpochMilli(m.getLongProperty(HubHeaders.RECEIVED_AT)) : Instant.now();
        // Our edge always sets both; a message put on the queue by hand may not. It becomes a dead letter of connector
        // "unknown" (kept with its body, replayable) instead of failing its own dead-letter insert for ever.
        String connector = m.getStringProperty(HubHeaders.CONNECTOR_ID);
        String eventId = m.getStringProperty(HubHeaders.EVENT_ID);
        return new InboundEnvelope(connector == null || connector.isBlank() ? "unknown" : connector,
                eventId == null || eventId.isBlank() ? "jms:" + m.getJMSMessageID() : eventId,
                m.getStringProperty(HubHeaders.EVENT_TYPE), m.getStringProperty(HubHeaders.GROUP_ID), received,
                m.getStringProperty(HubHeaders.CONTENT_TYPE), body);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close(); // an uncommitted batch is rolled back by the broker and delivered again
            } catch (JMSException | RuntimeException e) {
                log.debug("Closing a broken consumer connection: {}", e.toString());
            }
        }
    }

    /** Errors that pass (the database unreachable, a deadlock loser, a serialization failure): retry, never give up. */
    static boolean isPassing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof java.sql.SQLTransientException || t instanceof java.net.ConnectException
                    // a rollback or commit that failed: the connection broke; nothing was committed, or the commit
                    // went through and the retry finds every event recorded
                    || t instanceof TransactionSystemException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true; // connection exception (SQLSTATE class 08): the database went away mid-statement
            }
        }
        return false;
    }
}
