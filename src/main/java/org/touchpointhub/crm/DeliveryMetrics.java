package org.touchpointhub.crm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Delivery's meters: records written/refused/retried/held per object, CRM API calls, records per batch, and the time from
 * the edge's receipt of an event to its activity being written in the CRM. The outbox depth and pause gauges are
 * registered by the loop.
 */
final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final String crm;
    private final Timer latency;

    DeliveryMetrics(MeterRegistry registry, String crm) {
        this.registry = registry;
        this.crm = crm;
        this.latency = Timer.builder("hub.crm.delivery.latency")
                .description("Time from the edge's receipt of an event to its activity being written in the CRM")
                .tag("crm", crm).publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Counts records by outcome: written, refused (dead-lettered) or retried (refused for a passing reason). */
    void records(String object, String outcome, int count) {
        if (count > 0) {
            Counter.builder("hub.crm.records").description("CRM records by outcome").tag("crm", crm)
                    .tag("object", object).tag("outcome", outcome).register(registry).increment(count);
        }
    }

    /**
     * Counts one delivery call to the CRM (one Salesforce Composite call carries several batches and counts once, as
     * it does in Salesforce's API allocation); outcome is ok or unavailable.
     */
    void call(String outcome) {
        Counter.builder("hub.crm.api.calls").description("CRM API calls made by delivery").tag("crm", crm)
                .tag("outcome", outcome).register(registry).increment();
    }

    /** Records one batch of one object (an sObject Collections upsert, alone or inside a composite call). */
    void batch(String object, int size) {
        DistributionSummary.builder("hub.crm.batch.size").description("Records per one-object batch").tag("crm", crm)
                .tag("object", object).register(registry).record(size);
    }

    void latency(long millis) {
        latency.record(Duration.ofMillis(Math.max(0, millis)));
    }
}
