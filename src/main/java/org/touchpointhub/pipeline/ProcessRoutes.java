package org.touchpointhub.pipeline;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;

/**
 * The transacted consumer of {@code hub.inbound}: each message is one {@link EventPipeline} transaction, and the
 * JMS session commits (acknowledges) only after the database transaction did. A crash in between redelivers the
 * message, and the unique (connector, event id) makes the second delivery a no-op. While the database is down the
 * same message is retried in place with exponential back-off, so nothing is lost and nothing is reordered.
 */
@Component
class ProcessRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(ProcessRoutes.class);

    private final EventPipeline pipeline;

    ProcessRoutes(EventPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The database is unavailable: retry the same message in place, never give up on it. */
    static final class DatabaseUnavailable extends RuntimeException {
        DatabaseUnavailable(Throwable cause) {
            super("database unavailable: " + cause.getClass().getSimpleName(), cause);
        }
    }

    @Override
    public void configure() {
        // Retried here, inside the open JMS transaction, rather than by the broker: a broker's own redelivery limit
        // (10 by default on a standalone Artemis) would move the message to a dead-letter address the hub does not
        // read, and "nothing accepted is lost" must not depend on how an external broker is configured.
        onException(DatabaseUnavailable.class)
                .maximumRedeliveries(-1)
                .redeliveryDelay("{{hub.processing.retry-delay-ms:250}}")
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay("{{hub.processing.max-retry-delay-ms:30000}}")
                .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN)
                .logStackTrace(false)
                .logExhausted(false);
        from("jms:queue:" + HubHeaders.INBOUND_QUEUE + "?transacted=true"
                + "&concurrentConsumers={{hub.processing.consumers:4}}"
                + "&maxConcurrentConsumers={{hub.processing.max-consumers:8}}")
                .routeId("process-inbound")
                .process(this::process);
    }

    private void process(Exchange exchange) {
        var in = exchange.getMessage();
        Long received = in.getHeader(HubHeaders.RECEIVED_AT, Long.class);
        InboundEnvelope envelope = new InboundEnvelope(
                in.getHeader(HubHeaders.CONNECTOR_ID, String.class),
                in.getHeader(HubHeaders.EVENT_ID, String.class),
                in.getHeader(HubHeaders.EVENT_TYPE, String.class),
                in.getHeader(HubHeaders.GROUP_ID, String.class),
                received == null ? Instant.now() : Instant.ofEpochMilli(received),
                in.getHeader(HubHeaders.CONTENT_TYPE, String.class),
                in.getBody(byte[].class));
        try {
            pipeline.process(envelope);
        } catch (RuntimeException e) {
            if (isPassing(e)) {
                throw new DatabaseUnavailable(e);
            }
            // not passing: keep the raw event as a dead letter rather than redeliver it forever
            log.error("Processing event {} of {} failed; recording a dead letter", envelope.eventId(), envelope.connector(), e);
            pipeline.deadLetter(envelope, "processing failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static boolean isPassing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof java.sql.SQLTransientException || t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }
}
