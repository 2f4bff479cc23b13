package org.touchpointhub.platform;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tunes the embedded Artemis broker for durable, fast ingest.
 *
 * <p>The journal is NIO with a 100 µs buffer time-out: the default 3.33 ms caps blocking producers near 2,300
 * messages/s on this class of machine, and AIO needs a native library that is often missing (it would fall back to
 * NIO silently, so the type is set and logged explicitly). Addresses page to disk above 64 MiB, so a backlog never
 * fills the heap. A message that cannot be processed (the database is down) is redelivered with exponential
 * back-off, without a limit: it must never go to a dead-letter address the hub does not read.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
class EmbeddedBrokerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    @Bean
    ArtemisConfigurationCustomizer hubBrokerCustomizer(
            @Value("${hub.broker.max-size-bytes:67108864}") long maxSizeBytes,
            @Value("${hub.broker.redelivery-delay-ms:500}") long redeliveryDelay,
            @Value("${hub.broker.max-redelivery-delay-ms:30000}") long maxRedeliveryDelay) {
        return config -> {
            config.setJournalType(JournalType.NIO);
            config.setJournalBufferTimeout_NIO(100_000);
            config.setJournalSyncTransactional(true);
            config.setJournalSyncNonTransactional(true);
            config.addAddressSetting("#", new AddressSettings()
                    .setMaxSizeBytes(maxSizeBytes)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                    .setRedeliveryDelay(redeliveryDelay)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(maxRedeliveryDelay)
                    .setMaxDeliveryAttempts(-1));
            config.addQueueConfiguration(QueueConfiguration.of("hub.inbound")
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
            log.info("Embedded Artemis broker: persistent journal {} in {}", config.getJournalType(),
                    config.getJournalLocation());
        };
    }
}
