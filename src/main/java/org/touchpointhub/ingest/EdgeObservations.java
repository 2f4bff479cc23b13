package org.touchpointhub.ingest;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * No {@code http.server.requests} observation for webhooks. Why: each one starts a long-task timer and a timer with
 * the request's tags, measured by the bench (#7) as a visible share of the edge's CPU, while the edge already counts
 * what matters per connector ({@code hub_events_received_total}, {@code hub_events_accepted_total},
 * {@code hub_events_rejected_total{reason}}). Other endpoints keep the observation.
 */
@Configuration(proxyBeanMethods = false)
class EdgeObservations {

    @Bean
    ObservationPredicate noWebhookRequestObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier() != null && request.getCarrier().getRequestURI().startsWith("/hooks/"));
    }
}
