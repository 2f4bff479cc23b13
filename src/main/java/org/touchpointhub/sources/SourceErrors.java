package org.touchpointhub.sources;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The error handling every pull route refers to by {@code routeConfigurationId: hub-source-errors}: a failed step
 * is retried with back-off (a broker restart, a mail server hiccup), and what still fails is recorded as a dead
 * letter with its reason and raw payload, so an admin sees it in {@code GET /admin/dead-letters} and nothing is lost.
 */
@Component
class SourceErrors extends RouteConfigurationBuilder {

    /** The id YAML routes name in {@code routeConfigurationId}. */
    static final String ID = "hub-source-errors";

    private final SourceDeadLetters deadLetters;

    SourceErrors(SourceDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .maximumRedeliveries("{{hub.sources.max-redeliveries:3}}")
                .redeliveryDelay("{{hub.sources.redelivery-delay-ms:500}}")
                .useExponentialBackOff()
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .logExhausted(false)
                // handled: the dead letter keeps the raw payload, so the source may forget it (a mail is marked seen)
                .handled(true)
                .process(this::deadLetter);
    }

    private void deadLetter(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        deadLetters.record(exchange, cause == null ? "unknown failure" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
