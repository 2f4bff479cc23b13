package org.touchpointhub.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.company.CompanyLinks;
import org.touchpointhub.connector.ConnectorDefinition;
import org.touchpointhub.connector.ConnectorRegistry;
import org.touchpointhub.connector.EventMapper;
import org.touchpointhub.connector.MappingResult;
import org.touchpointhub.enrich.Normalizer;
import org.touchpointhub.identity.AnonymousStitching;
import org.touchpointhub.identity.IdentityKey;
import org.touchpointhub.identity.CustomerStore;
import org.touchpointhub.enrich.EmailAddresses;
import org.touchpointhub.identity.IdentityResolver;

/**
 * The core of the hub: a batch of events (one or more), one PostgreSQL transaction. Phase 1, outside the
 * transaction: map, normalize and compute the identity and blocking keys of every event. Phase 2, in the
 * transaction: take every advisory lock of the batch, record the raw events (a retried event stops here), then per
 * event in order: resolve the person, append the touchpoint, record observations and fold them into the golden
 * record, mark the customer for delivery. An event that cannot be mapped becomes a dead letter in the same
 * transaction. The caller acknowledges the messages only after this returns.
 */
@Service
public class EventPipeline {

    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);

    private final ConnectorRegistry connectors;
    private final EventMapper mapper;
    private final Normalizer normalizer;
    private final CustomerStore customers;
    private final AnonymousStitching stitching;
    private final IdentityResolver identity;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final Clock clock;
    private final CompanyLinks companies;

    EventPipeline(ConnectorRegistry connectors, CustomerStore customers, IdentityResolver identity,
            AnonymousStitching stitching, CompanyLinks companies, JdbcTemplate jdbc, TransactionTemplate tx,
            MeterRegistry meters, Optional<Clock> clock, @Value("${hub.default-region:US}") String region) {
        this.connectors = connectors;
        this.companies = companies;
        this.customers = customers;
        this.identity = identity;
        this.stitching = stitching;
        this.jdbc = jdbc;
        this.tx = tx;
        this.meters = meters;
        this.clock = clock.orElse(Clock.systemUTC());
        this.mapper = new EventMapper(region);
        this.normalizer = new Normalizer(region);
    }

    /** What became of one event. */
    public enum Outcome { MAPPED, DUPLICATE, SKIPPED, SPAM, DEAD_LETTER }

    /**
     * One event mapped, normalized and keyed outside any transaction (phase 1 of a batch): what to record in
     * {@code events}, and per touchpoint the cleaned touchpoint, the normalized person and its identity and blocking
     * keys (so the batch can take all its advisory locks at once).
     */
    static final class Prepared {
        final InboundEnvelope envelope;
        final String source;
        final int priority;
        final String eventType;
        final String outcome;
        final String detail;
        final List<PreparedTouchpoint> touchpoints;

        Prepared(InboundEnvelope envelope, String source, int priority, String eventType, String outcome, String detail,
                List<PreparedTouchpoint> touchpoints) {
            this.envelope = envelope;
            this.source = source;
            this.priority = priority;
            this.eventType = eventType;
            this.outcome = outcome;
            this.detail = detail;
            this.touchpoints = touchpoints;
        }

        Outcome recorded() {
            switch (outcome) {
                case "mapped":
                    return Outcome.MAPPED;
                case "skipped":
                    return Outcome.SKIPPED;
                case "spam":
                    return Outcome.SPAM;
                default:
                    return Outcome.DEAD_LETTER;
            }
        }
    }

    /** A touchpoint ready to record: its key, the cleaned touchpoint, the normalized person and its keys. */
    record PreparedTouchpoint(String key, CanonicalTouchpoint clean, PersonFacts person, IdentityResolver.Keys keys) {
    }

    /** Processes one event in one transaction and says what became of it. */
    public Outcome process(InboundEnvelope envelope) {
        return processBatch(List.of(prepare(envelope))).get(0);
    }

    /** Phase 1 of an event, no database: map, normalize, compute the keys. */
    Prepared prepare(InboundEnvelope envelope) {
        Optional<ConnectorDefinition> found = connectors.find(envelope.connector());
        if (found.isEmpty()) {
            return new Prepared(envelope, null, 0, null, "dead-letter",
                    "connector '" + envelope.connector() + "' is not configured (any more)", List.of());
        }
        ConnectorDefinition connector = found.get();
        MappingResult result = mapper.map(connector, envelope);
        if (result instanceof MappingResult.Rejected rejected) {
            return new Prepared(envelope, null, 0, null, "dead-letter", rejected.reason(), List.of());
        }
        if (result instanceof MappingResult.Skipped skipped) {
            return new Prepared(envelope, null, 0, null, "skipped", skipped.reason(), List.of());
        }
        if (result instanceof MappingResult.Spam spam) {
            return new Prepared(envelope, null, 0, null, "spam", spam.reason(), List.of());
        }
        return prepareMapped(envelope, ((MappingResult.Mapped) result).touchpoints(), connector.id(), connector.priority());
    }

    private Prepared prepareMapped(InboundEnvelope envelope, List<CanonicalTouchpoint> touchpoints, String source, int priority) {
        List<PreparedTouchpoint> prepared = new ArrayList<>();
        for (CanonicalTouchpoint tp : touchpoints) {
            String touchpointKey = tp.connector() + ":" + tp.key();
            PersonFacts person = withCompanyDomain(TouchpointFacts.derive(tp.type(), tp.attributes(), normalizer.person(tp.person())));
            CanonicalTouchpoint clean = new CanonicalTouchpoint(tp.connector(), tp.key(), tp.type(),
                    Normalizer.text(tp.channel()), tp.occurredAt(), Normalizer.text(tp.summary()), person,
                    cleanAttributes(tp.attributes()));
            prepared.add(new PreparedTouchpoint(touchpointKey, clean, person, identity.keys(person, touchpointKey, source)));
        }
        return new Prepared(envelope, source, priority, touchpoints.get(0).type(), "mapped", null, prepared);
    }

    /**
     * Phase 2 of a batch: one transaction for all its events, in their order. First every advisory lock of the
     * batch in one statement and one sorted order (so batches never wait on each other in a cycle), then the raw
     * events in one statement (the first of two equal event ids wins, the other is a duplicate), then each event's
     * steps. Metrics are counted after the commit. Any exception rolls the whole batch back.
     */
    List<Outcome> processBatch(List<Prepared> batch) {
        List<Outcome> outcomes = tx.execute(status -> {
            List<IdentityResolver.Keys> keys = new ArrayList<>();
            batch.forEach(p -> p.touchpoints.forEach(t -> keys.add(t.keys())));
            identity.lockAll(keys);
            boolean[] inserted = insertEvents(batch);
            Set<String> recorded = existingTouchpoints(batch, inserted);
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Prepared p = batch.get(i);
                if (!inserted[i]) {
                    out.add(Outcome.DUPLICATE);
                    continue;
                }
                if (p.outcome.equals("dead-letter")) {
                    insertDeadLetter(p.envelope, p.detail);
                } else if (p.outcome.equals("mapped")) {
                    record(p.envelope, p.touchpoints, p.source, p.priority, recorded);
                }
                out.add(p.recorded());
            }
            return out;
        });
        Instant now = clock.instant();
        for (int i = 0; i < batch.size(); i++) {
            InboundEnvelope envelope = batch.get(i).envelope;
            Outcome outcome = outcomes.get(i);
            String tag = tag(envelope);
            meters.counter("hub.events.processed", "connector", tag, "outcome", outcome.name().toLowerCase()).increment();
            if (outcome == Outcome.DEAD_LETTER) {
                meters.counter("hub.events.dead_lettered", "connector", tag).increment();
            }
            Timer.builder("hub.processing.latency").description("from the edge's receipt to the committed transaction")
                    .tag("connector", tag).publishPercentiles(0.5, 0.95, 0.99).register(meters)
                    .record(Duration.between(envelope.receivedAt(), now));
        }
        return outcomes;
    }

    /**
     * Records an event the pipeline failed on for a reason that is not passing (a bug, a value PostgreSQL refuses)
     * as a dead letter with its raw payload, in a transaction of its own, so it is kept and can be replayed.
     */
    public void deadLetter(InboundEnvelope envelope, String reason) {
        tx.executeWithoutResult(status -> {
            int inserted = insertEvent(envelope, null, "dead-letter", reason);
            if (inserted > 0) {
                insertDeadLetter(envelope, reason);
            }
        });
        meters.counter("hub.events.dead_lettered", "connector", tag(envelope)).increment();
    }

    /**
     * Records already-mapped touchpoints of one event in one transaction, through the same steps as a mapped webhook
     * (normalize, resolve, append, observe, merge, mark): the path the {@code evaluate} command and batch imports use.
     */
    public Outcome processMapped(InboundEnvelope envelope, List<CanonicalTouchpoint> touchpoints, String source, int priority) {
        Prepared prepared = prepareMapped(envelope, touchpoints, source, priority);
        return tx.execute(status -> {
            // one record at a time, one thread: resolve takes its locks itself (one statement, no fullness check)
            if (!insertEvents(List.of(prepared))[0]) {
                return Outcome.DUPLICATE;
            }
            record(envelope, prepared.touchpoints, source, priority, existingTouchpoints(List.of(prepared), new boolean[] {true}));
            return Outcome.MAPPED;
        });
    }

    /**
     * Records an event's touchpoints: resolve the person, join anonymous history, append the touchpoint with its
     * observations, fold them into the golden record, carry out merges, mark for delivery. {@code recorded} holds
     * the touchpoint keys already in the store; a touchpoint recorded before is skipped.
     */
    private void record(InboundEnvelope envelope, List<PreparedTouchpoint> touchpoints, String source, int priority,
            Set<String> recorded) {
        for (PreparedTouchpoint tp : touchpoints) {
            if (!recorded.add(tp.key())) {
                continue;
            }
            PersonFacts person = tp.person();
            IdentityResolver.Resolution resolution = identity.resolve(tp.keys(), tp.key());
            long customer = resolution.customerId();
            stitching.joinAnonymous(customer, tp.keys().identityKeys()); // earlier anonymous visits join the person
            Optional<CustomerStore.Appended> appended = customers.appendAndObserve(customer, envelope.eventId(), tp.clean(),
                    person, source, priority, tp.clean().occurredAt());
            if (appended.isEmpty()) {
                continue;
            }
            if (resolution.mergeInto() == null && resolution.links().isEmpty()) {
                customers.writeGolden(customer, appended.get().golden(), true); // golden record and outbox in one statement
                companies.link(customer); // #6: the customer's company from its golden record (cheap when unchanged)
            } else {
                customers.writeGolden(customer, appended.get().golden(), false);
                companies.link(customer); // merges below link the survivor again
                customers.markChanged(identity.complete(resolution));
            }
        }
    }

    /** The raw events of a batch in one statement; element i is true when event i was new (not seen before, nor earlier in the batch). */
    private boolean[] insertEvents(List<Prepared> batch) {
        StringBuilder sql = new StringBuilder("insert into events (connector, event_id, event_type, received_at, content_type, "
                + "payload, outcome, detail) values ");
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Prepared p = batch.get(i);
            InboundEnvelope e = p.envelope;
            sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)");
            args.add(e.connector());
            args.add(e.eventId());
            args.add(new SqlParameterValue(Types.VARCHAR, p.eventType));
            args.add(Timestamp.from(e.receivedAt()));
            args.add(new SqlParameterValue(Types.VARCHAR, e.contentType()));
            args.add(e.body());
            args.add(p.outcome);
            args.add(new SqlParameterValue(Types.VARCHAR, p.detail == null ? null : Normalizer.text(p.detail)));
        }
        sql.append(" on conflict (connector, event_id) do nothing returning connector, event_id");
        Set<List<String>> fresh = new HashSet<>(jdbc.query(sql.toString(),
                (rs, n) -> List.of(rs.getString(1), rs.getString(2)), args.toArray()));
        boolean[] inserted = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            InboundEnvelope e = batch.get(i).envelope;
            inserted[i] = fresh.remove(List.of(e.connector(), e.eventId())); // the first of equal ids only
        }
        return inserted;
    }

    /** The touchpoint keys of the new events of a batch that are in the store already, in one query. */
    private Set<String> existingTouchpoints(List<Prepared> batch, boolean[] inserted) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (inserted[i]) {
                batch.get(i).touchpoints.forEach(t -> keys.add(t.key()));
            }
        }
        Set<String> existing = new HashSet<>();
        if (!keys.isEmpty()) {
            existing.addAll(jdbc.queryForList("select touchpoint_key from touchpoints where touchpoint_key = any(?::text[])",
                    String.class, IdentityResolver.textArray(keys)));
        }
        return existing;
    }

    /** A corporate (not free-mail, not disposable) e-mail domain is the person's company domain, so the CRM account gets it. */
    private static PersonFacts withCompanyDomain(PersonFacts person) {
        String email = person.get("email");
        if (email == null || person.get("company_domain") != null) {
            return person;
        }
        Optional<String> domain = EmailAddresses.companyDomain(email);
        if (domain.isEmpty()) {
            return person;
        }
        Map<String, String> attributes = new LinkedHashMap<>(person.attributes());
        attributes.put("company_domain", domain.get());
        return new PersonFacts(attributes, person.externalIds());
    }

    private int insertEvent(InboundEnvelope e, String type, String outcome, String detail) {
        return jdbc.update("insert into events (connector, event_id, event_type, received_at, content_type, payload, outcome, detail) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (connector, event_id) do nothing",
                e.connector(), e.eventId(), new SqlParameterValue(Types.VARCHAR, type), Timestamp.from(e.receivedAt()),
                new SqlParameterValue(Types.VARCHAR, e.contentType()), e.body(), outcome,
                new SqlParameterValue(Types.VARCHAR, detail == null ? null : Normalizer.text(detail)));
    }

    private void insertDeadLetter(InboundEnvelope e, String reason) {
        jdbc.update("insert into dead_letters (stage, connector, event_id, reason, content_type, payload) values ('process', ?, ?, ?, ?, ?)",
                e.connector(), e.eventId(), Normalizer.text(reason), e.contentType(), e.body());
        // the reason may quote personal data from the payload: it is stored, not logged
        log.warn("Dead letter: event {} of connector {} (see GET /admin/dead-letters)", e.eventId(), e.connector());
    }

    private static Map<String, String> cleanAttributes(Map<String, String> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            String clean = Normalizer.text(v);
            if (!clean.isEmpty()) {
                out.put(Normalizer.text(k), clean);
            }
        });
        return out;
    }

    private String tag(InboundEnvelope envelope) {
        return connectors.find(envelope.connector()).map(ConnectorDefinition::id).orElse("unknown");
    }
}
