package org.touchpointhub.company;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.enrich.FirmographicProvider;
import org.touchpointhub.enrich.FirmographicProvider.Firmographics;
import org.touchpointhub.enrich.Normalizer;

/**
 * The background job that fills companies' firmographics and orders them in the hierarchy, a bounded batch per run.
 *
 * <p>Why in the background: a provider may be slow, over its rate limit or down, and an event's transaction must never
 * wait on it. A run claims due companies by pushing their due time ahead (one statement, no lock held during the
 * look-ups, so several hub instances share the work), looks each up outside any transaction, and stores the answer,
 * or the failure and the next try (doubling from {@code retry-delay} up to an hour) on the company, where the admin
 * API shows it. Outcomes are counted in {@code hub.enrich.firmographics{outcome}}; the companies waiting are the
 * gauge {@code hub.enrich.firmographics.pending}.
 */
@Component
class FirmographicsJob {

    private static final Logger log = LoggerFactory.getLogger(FirmographicsJob.class);
    private static final Duration MAX_RETRY = Duration.ofHours(1);
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final FirmographicProvider provider;
    private final CompanyHierarchy hierarchy;
    private final FirmographicSettings settings;
    private final MeterRegistry meters;
    private final Clock clock;
    private final boolean enabled;
    private final AtomicLong pending = new AtomicLong();

    FirmographicsJob(JdbcTemplate jdbc, TransactionTemplate tx, FirmographicProvider provider, CompanyHierarchy hierarchy,
            FirmographicSettings settings, MeterRegistry meters, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.provider = provider;
        this.hierarchy = hierarchy;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock.orElse(Clock.systemUTC());
        this.enabled = !"none".equals(settings.kind());
        Gauge.builder("hub.enrich.firmographics.pending", pending, AtomicLong::get)
                .description("companies whose firmographics are still to be looked up").register(meters);
    }

    @Scheduled(initialDelayString = "${hub.enrich.firmographics.interval:5s}", fixedDelayString = "${hub.enrich.firmographics.interval:5s}")
    void run() {
        try {
            if (enabled) {
                enrich();
            }
            orderHierarchy();
        } catch (RuntimeException e) {
            // the database may be down or shutting down: the next run tries again
            log.warn("Company job run failed, next run in {}: {}", settings.interval(), e.toString());
        }
    }

    /** Looks up one batch of due companies; returns how many were looked up. */
    int enrich() {
        Instant now = clock.instant();
        List<Map<String, Object>> claimed = jdbc.queryForList("update companies set enrich_due_at = ? where id in (select id "
                + "from companies where fetched_at is null and domain is not null and enrich_due_at <= ? order by enrich_due_at, id "
                + "limit ? for update skip locked) returning id, domain, enrich_attempts", Timestamp.from(now.plus(CLAIM)),
                Timestamp.from(now), settings.batchSize());
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        int looked = 0;
        for (Map<String, Object> c : claimed) {
            long id = ((Number) c.get("id")).longValue();
            int attempts = ((Number) c.get("enrich_attempts")).intValue();
            String outcome = lookUp(id, (String) c.get("domain"), attempts);
            looked++;
            outcomes.merge(outcome, 1, Integer::sum);
            Counter.builder("hub.enrich.firmographics").description("firmographic look-ups by outcome")
                    .tag("outcome", outcome).register(meters).increment();
            if ("rate_limited".equals(outcome)) {
                // the limit is spent for now: give the rest of the batch back for the next run instead of failing each
                List<Long> rest = claimed.subList(looked, claimed.size()).stream().map(r -> ((Number) r.get("id")).longValue()).toList();
                if (!rest.isEmpty()) {
                    jdbc.update("update companies set enrich_due_at = ? where id = any(?::bigint[])", Timestamp.from(now),
                            rest.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}")));
                }
                break;
            }
        }
        Long waiting = jdbc.queryForObject("select count(*) from companies where fetched_at is null and domain is not null",
                Long.class);
        pending.set(waiting == null ? 0 : waiting);
        if (looked > 0) {
            log.info("Firmographics: {} companies looked up {}, {} still to do", looked, outcomes, pending.get());
        }
        return looked;
    }

    private String lookUp(long id, String domain, int attempts) {
        Optional<Firmographics> found;
        try {
            found = provider.lookup(domain);
        } catch (FirmographicProvider.Unavailable e) {
            fail(id, e.outcome(), e.getMessage(), attempts);
            return e.outcome();
        } catch (RuntimeException e) {
            fail(id, "failed", e.getClass().getSimpleName() + ": " + e.getMessage(), attempts);
            return "failed";
        }
        Timestamp now = Timestamp.from(clock.instant());
        if (found.isEmpty()) {
            jdbc.update("update companies set fetched_at = ?, enrich_outcome = 'not_found', enrich_error = null, "
                    + "enrich_attempts = ?, updated_at = now() where id = ?", now, attempts + 1, id);
            return "not_found";
        }
        Firmographics f = found.get();
        jdbc.update("update companies set industry = ?, employees = ?, country = ?, parent_domain = ?, source = ?, fetched_at = ?, "
                + "enrich_outcome = 'found', enrich_error = null, enrich_attempts = ?, hierarchy_due = hierarchy_due or "
                + "(?::text is not null), updated_at = now() where id = ?", f.industry(), f.employees(), f.country(), f.parentDomain(),
                f.source(), now, attempts + 1, f.parentDomain(), id);
        return "found";
    }

    private void fail(long id, String outcome, String message, int attempts) {
        Duration wait = "rate_limited".equals(outcome) ? settings.retryDelay()
                : settings.retryDelay().multipliedBy(1L << Math.min(attempts, 16));
        if (wait.compareTo(MAX_RETRY) > 0) {
            wait = MAX_RETRY;
        }
        jdbc.update("update companies set enrich_outcome = ?, enrich_error = ?, enrich_attempts = ?, enrich_due_at = ?, "
                + "updated_at = now() where id = ?", outcome, Normalizer.text(message), attempts + 1,
                Timestamp.from(clock.instant().plus(wait)), id);
    }

    /** Orders one batch of companies marked for the hierarchy; returns how many. */
    int orderHierarchy() {
        List<Long> due = jdbc.queryForList("select id from companies where hierarchy_due order by id limit ?", Long.class,
                settings.batchSize());
        for (long id : due) {
            tx.executeWithoutResult(status -> {
                hierarchy.compute(id);
                hierarchy.touchRelated(id);
            });
        }
        return due.size();
    }
}
