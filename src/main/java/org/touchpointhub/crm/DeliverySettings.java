package org.touchpointhub.crm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the delivery loop paces writes to the CRM ({@code hub.crm.delivery.*}).
 *
 * @param batchSize      customers claimed per run and records per CRM call (capped by the CRM: Salesforce 200)
 * @param maxWait        how long the oldest change of a partial batch waits for more records to join it
 * @param pollInterval   how often an idle loop looks for due outbox rows
 * @param lease          how long a claimed outbox row stays invisible to other hub instances; a hub killed
 *                       mid-delivery leaves its rows to be claimed again after this
 * @param backoffInitial first pause after the CRM was unavailable; doubles per failed attempt, with jitter
 * @param backoffMax     longest pause after repeated failures
 * @param retryDelay     when a record refused for a passing reason (UNABLE_TO_LOCK_ROW) is sent again
 * @param usagePause     how long delivery rests once the share of the daily API allocation reaches its maximum,
 *                       before one call checks whether it has freed
 */
@ConfigurationProperties("hub.crm.delivery")
record DeliverySettings(
        @DefaultValue("200") int batchSize,
        @DefaultValue("1s") Duration maxWait,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("1s") Duration backoffInitial,
        @DefaultValue("5m") Duration backoffMax,
        @DefaultValue("30s") Duration retryDelay,
        @DefaultValue("5m") Duration usagePause) {

    DeliverySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("hub.crm.delivery.batch-size must be at least 1, not " + batchSize);
        }
    }
}
