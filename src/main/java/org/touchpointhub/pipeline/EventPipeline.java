package org.touchpointhub.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.canonical.PersonFacts;
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
 * The core of the hub: one event, one PostgreSQL transaction. The steps, in order: record the raw event (a
 * retried event stops here), map it, normalize, resolve the person, append the touchpoint, record observations and
 * fold them into the golden record, mark the customer for delivery. An event that cannot be mapped becomes a dead
 * letter in the same transaction. The caller acknowledges the message only after this returns.
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
    @org.springframework.beans.factory.annotation.Autowired // field, not constructor: companies (#6) stay out of the pipeline's wiring
    private org.touchpointhub.company.CompanyLinks companies;

    EventPipeline(ConnectorRegistry connectors, CustomerStore customers, IdentityResolver identity,
            AnonymousStitching stitching, JdbcTemplate jdbc, TransactionTemplate tx, MeterRegistry meters,
            Optional<Clock> clock, @Value("${hub.default-region:US}") String region) {
        this.connectors = connectors;
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

    /** Processes one event in one transaction and says what became of it. */
    public Outcome process(InboundEnvelope envelope) {
        Outcome outcome = tx.execute(status -> processInTransaction(envelope));
        meters.counter("hub.events.processed", "connector", tag(envelope), "outcome", outcome.name().toLowerCase()).increment();
        if (outcome == Outcome.DEAD_LETTER) {
            meters.counter("hub.events.dead_lettered", "connector", tag(envelope)).increment();
        }
        Timer.builder("hub.processing.latency").description("from the edge's receipt to the committed transaction")
                .tag("connector", tag(envelope)).publishPercentiles(0.5, 0.95, 0.99).register(meters)
                .record(Duration.between(envelope.receivedAt(), clock.instant()));
        return outcome;
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

    private Outcome processInTransaction(InboundEnvelope envelope) {
        Optional<ConnectorDefinition> found = connectors.find(envelope.connector());
        if (found.isEmpty()) {
            String reason = "connector '" + envelope.connector() + "' is not configured (any more)";
            if (insertEvent(envelope, null, "dead-letter", reason) == 0) {
                return Outcome.DUPLICATE;
            }
            insertDeadLetter(envelope, reason);
            return Outcome.DEAD_LETTER;
        }
        ConnectorDefinition connector = found.get();
        MappingResult result = mapper.map(connector, envelope);
        if (result instanceof MappingResult.Rejected rejected) {
            if (insertEvent(envelope, null, "dead-letter", rejected.reason()) == 0) {
                return Outcome.DUPLICATE;
            }
            insertDeadLetter(envelope, rejected.reason());
            return Outcome.DEAD_LETTER;
        }
        if (result instanceof MappingResult.Skipped skipped) {
            return insertEvent(envelope, null, "skipped", skipped.reason()) == 0 ? Outcome.DUPLICATE : Outcome.SKIPPED;
        }
        if (result instanceof MappingResult.Spam spam) {
            return insertEvent(envelope, null, "spam", spam.reason()) == 0 ? Outcome.DUPLICATE : Outcome.SPAM;
        }
        List<CanonicalTouchpoint> touchpoints = ((MappingResult.Mapped) result).touchpoints();
        if (insertEvent(envelope, touchpoints.get(0).type(), "mapped", null) == 0) {
            return Outcome.DUPLICATE;
        }
        record(envelope, touchpoints, connector.id(), connector.priority());
        return Outcome.MAPPED;
    }

    /**
     * Records already-mapped touchpoints of one event in one transaction, through the same steps as a mapped webhook
     * (normalize, resolve, append, observe, merge, mark): the path the {@code evaluate} command and batch imports use.
     */
    public Outcome processMapped(InboundEnvelope envelope, List<CanonicalTouchpoint> touchpoints, String source, int priority) {
        return tx.execute(status -> {
            if (insertEvent(envelope, touchpoints.get(0).type(), "mapped", null) == 0) {
                return Outcome.DUPLICATE;
            }
            record(envelope, touchpoints, source, priority);
            return Outcome.MAPPED;
        });
    }

    private void record(InboundEnvelope envelope, List<CanonicalTouchpoint> touchpoints, String source, int priority) {
        for (CanonicalTouchpoint tp : touchpoints) {
            String touchpointKey = tp.connector() + ":" + tp.key();
            if (Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from touchpoints where touchpoint_key = ?)",
                    Boolean.class, touchpointKey))) {
                continue;
            }
            PersonFacts person = withCompanyDomain(TouchpointFacts.derive(tp.type(), tp.attributes(), normalizer.person(tp.person())));
            IdentityResolver.Resolution resolution = identity.resolve(person, touchpointKey, source);
            long customer = resolution.customerId();
            stitching.joinAnonymous(customer, IdentityKey.of(person)); // earlier anonymous visits join the person
            CanonicalTouchpoint clean = new CanonicalTouchpoint(tp.connector(), tp.key(), tp.type(),
                    Normalizer.text(tp.channel()), tp.occurredAt(), Normalizer.text(tp.summary()), person,
                    cleanAttributes(tp.attributes()));
            Optional<Long> touchpoint = customers.appendTouchpoint(customer, envelope.eventId(), clean);
            if (touchpoint.isEmpty()) {
                continue;
            }
            customers.observe(customer, touchpoint.get(), person, source, priority, tp.occurredAt());
            companies.link(customer); // #6: the customer's company from its golden record (cheap when unchanged)
            customers.markChanged(identity.complete(resolution));
        }
    }

    /** A corporate (not free-mail, not disposable) e-mail domain is the person's company domain, so the CRM account gets it. */
    private static PersonFacts withCompanyDomain(PersonFacts person) {
        String email = person.get("email");
        if (email == null || person.get("company_domain") != null) {
            return person;
        }
        Optional<String> domain = EmailAddresses.domain(email);
        if (domain.isEmpty() || EmailAddresses.isFreeMail(domain.get()) || EmailAddresses.isDisposable(domain.get())) {
            return person;
        }
        Map<String, String> attributes = new LinkedHashMap<>(person.attributes());
        attributes.put("company_domain", domain.get());
        return new PersonFacts(attributes, person.externalIds());
    }

    private int insertEvent(InboundEnvelope e, String type, String outcome, String detail) {
        return jdbc.update("insert into events (connector, event_id, event_type, received_at, content_type, payload, outcome, detail) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (connector, event_id) do nothing",
                e.connector(), e.eventId(), type, Timestamp.from(e.receivedAt()), e.contentType(), e.body(), outcome,
                detail == null ? null : Normalizer.text(detail));
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
