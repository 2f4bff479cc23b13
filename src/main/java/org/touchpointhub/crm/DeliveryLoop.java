package org.touchpointhub.crm;

import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.touchpointhub.crm.CustomerChanges.CustomerChange;

/**
 * Delivers changed customers from the outbox to the CRM of record, on one thread per hub instance.
 *
 * <p>Each run claims due customers, lets a partial batch wait for company until its oldest change is
 * {@code max-wait} old, then sends the run (see {@link DeliveryRun}) and writes back what the CRM answered (see
 * {@link Outbox#finish}). When the CRM cannot take writes (limits, outages, a failed login) all delivery of this
 * instance pauses with exponential back-off and jitter; the customers stay in the outbox and nothing is dead-lettered.
 * When the share of the daily API allocation reaches {@code hub.crm.salesforce.max-api-usage}, delivery rests for
 * {@code usage-pause} and then one call finds out whether the allocation has freed.
 */
final class DeliveryLoop implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);

    private final CrmAdapter adapter;
    private final Outbox outbox;
    private final CustomerChanges changes;
    private final Function<CustomerChange, List<CrmRecord>> mapping;
    private final CrmObjects objects;
    private final DeliverySettings settings;
    private final double maxApiUsage;
    private final Clock clock;
    private final Backoff backoff;
    private final DeliveryMetrics metrics;
    private final String crm;
    private final WrittenParents parents = new WrittenParents();
    private final Object signal = new Object();

    private volatile boolean running;
    private volatile Thread thread;
    private volatile Instant pausedUntil = Instant.EPOCH;
    private volatile String pauseReason;
    private int failures;

    DeliveryLoop(String crm, CrmAdapter adapter, Outbox outbox, CustomerChanges changes,
            Function<CustomerChange, List<CrmRecord>> mapping, CrmObjects objects, DeliverySettings settings,
            double maxApiUsage, Clock clock, Backoff backoff, DeliveryMetrics metrics) {
        this.crm = crm;
        this.adapter = adapter;
        this.outbox = outbox;
        this.changes = changes;
        this.mapping = mapping;
        this.objects = objects;
        this.settings = settings;
        this.maxApiUsage = maxApiUsage;
        this.clock = clock;
        this.backoff = backoff;
        this.metrics = metrics;
        Gauge.builder("hub.crm.outbox.depth", outbox, Outbox::depth).description("Customers waiting for delivery")
                .tag("crm", crm).register(metrics.registry());
        Gauge.builder("hub.crm.delivery.paused", this, loop -> loop.pausedUntil().isPresent() ? 1 : 0)
                .description("1 while delivery backs off or rests for the API allocation").tag("crm", crm)
                .register(metrics.registry());
    }

    /** When delivery resumes, if it is paused now. */
    java.util.Optional<Instant> pausedUntil() {
        Instant until = pausedUntil;
        return clock.instant().isBefore(until) ? java.util.Optional.of(until) : java.util.Optional.empty();
    }

    /** Why delivery paused last, or null. */
    String pauseReason() {
        return pauseReason;
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::loop, "crm-delivery");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            try {
                // a run in flight finishes its CRM call and write-back; an unfinished one is sent again after its lease
                t.join(settings.lease().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        connect();
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                // a bug or the database: claimed rows come back when their lease ends; never the record values here
                failures++;
                pause(backoff.delay(failures), "delivery run failed: " + e.getClass().getSimpleName());
                LOG.error("CRM delivery run failed ({}); retrying in {}", e.getClass().getName(), pauseLeft());
            }
        }
    }

    private void connect() {
        try {
            adapter.connect();
        } catch (CrmUnavailable e) {
            // the adapter logged the reason in one line; delivery retries until the login works
            failures++;
            pause(backoff.delay(failures), e.getMessage());
        }
    }

    private void step() {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) {
            rest(Duration.between(now, pausedUntil));
            return;
        }
        List<Outbox.Claim> batch = new ArrayList<>(outbox.claim(settings.batchSize(), settings.lease()));
        if (batch.isEmpty()) {
            if (failures > 0) {
                connect();
            }
            rest(settings.pollInterval());
            return;
        }
        long oldest = batch.stream().mapToLong(Outbox.Claim::ageMillis).max().orElse(0);
        Instant deadline = clock.instant().plus(settings.maxWait()).minusMillis(Math.max(0, oldest));
        while (running && batch.size() < settings.batchSize()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            rest(left.compareTo(settings.pollInterval()) < 0 ? left : settings.pollInterval());
            batch.addAll(outbox.claim(settings.batchSize() - batch.size(), settings.lease()));
        }
        deliver(batch);
    }

    private void deliver(List<Outbox.Claim> batch) {
        List<Long> ids = batch.stream().map(Outbox.Claim::customerId).toList();
        DeliveryRun run = new DeliveryRun(adapter, objects, settings.batchSize(), maxApiUsage, parents, metrics);
        run.load(batch, new HashSet<>(outbox.mergedAway(ids)), changes, mapping);
        DeliveryRun.End end = run.send();
        Duration pause = Duration.ZERO;
        if (end == DeliveryRun.End.UNAVAILABLE) {
            failures++;
            pause = backoff.delay(failures);
            if (failures == 1) {
                LOG.info("CRM {} unavailable, delivery paused and retried with back-off (first retry in {} ms)", crm,
                        pause.toMillis());
            } else {
                LOG.debug("CRM {} still unavailable after {} attempts, next in {} ms", crm, failures, pause.toMillis());
            }
            pause(pause, run.error());
        } else if (end == DeliveryRun.End.OVER_LIMIT) {
            pause = settings.usagePause();
            LOG.warn("CRM {} delivery rests for {}: {}", crm, pause, run.error());
            pause(pause, run.error());
        } else if (failures > 0) {
            LOG.info("CRM {} delivery resumed after {} failed attempts", crm, failures);
            failures = 0;
            pauseReason = null;
        }
        for (long latency : finish(run, pause)) {
            metrics.latency(latency);
        }
    }

    /**
     * Writes a run back; a write-back that lost a deadlock (against a processing batch holding the same customers'
     * rows) is written again rather than failing the run, which would send the CRM the same records again (#7).
     */
    private List<Long> finish(DeliveryRun run, Duration pause) {
        for (int attempt = 1; ; attempt++) {
            try {
                return outbox.finish(run.outcomes(), pause, settings.retryDelay());
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
                LOG.warn("Writing back a CRM delivery run lost a lock conflict; writing it again (attempt {})", attempt + 1);
            }
        }
    }

    private void pause(Duration delay, String reason) {
        pausedUntil = clock.instant().plus(delay);
        pauseReason = reason;
    }

    private Duration pauseLeft() {
        Duration left = Duration.between(clock.instant(), pausedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void rest(Duration duration) {
        long millis = Math.max(1, duration.toMillis());
        synchronized (signal) {
            if (!running) {
                return;
            }
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
