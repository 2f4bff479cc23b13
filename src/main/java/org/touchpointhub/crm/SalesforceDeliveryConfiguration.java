package org.touchpointhub.crm;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.crm.salesforce.SalesforceAdapter;
import org.touchpointhub.crm.salesforce.SalesforceRecords;
import org.touchpointhub.crm.salesforce.SalesforceSettings;

/**
 * Delivery to Salesforce, active with {@code hub.crm.kind=salesforce}: the camel-salesforce component configured only
 * by the standard {@code camel.component.salesforce.*} properties (secrets from the environment, e.g.
 * {@code CAMEL_COMPONENT_SALESFORCE_CLIENT_SECRET}), the adapter, the delivery loop and the {@code crm} health
 * indicator. In the default preview mode none of this exists and nothing is sent.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.crm.kind", havingValue = "salesforce")
@EnableConfigurationProperties(DeliverySettings.class)
class SalesforceDeliveryConfiguration {

    private static final String CRM = "salesforce";

    /**
     * The hub logs in on first use rather than while Camel starts: with eager login a wrong password or an
     * unreachable Salesforce would stop the hub from starting, and it must keep accepting events.
     */
    @Bean
    ComponentCustomizer salesforceLazyLogin() {
        return ComponentCustomizer.builder(SalesforceComponent.class).withOrder(Ordered.LOWEST)
                .build(component -> component.setLazyLogin(true));
    }

    /**
     * The adapter; {@code hub.crm.salesforce.composite} (default {@code true}) sends a delivery run's batches (Accounts,
     * people, Tasks) in one Composite call instead of one call per object; false sends one sObject Collections call per
     * batch.
     */
    @Bean
    SalesforceAdapter salesforceAdapter(CamelContext camelContext, ProducerTemplate template,
            @Value("${hub.crm.salesforce.composite:true}") boolean composite) {
        return new SalesforceAdapter(camelContext, template, "salesforce", composite);
    }

    @Bean
    DeliveryLoop salesforceDeliveryLoop(SalesforceAdapter adapter, JdbcTemplate jdbc, TransactionTemplate tx,
            CustomerChanges changes, DeliverySettings delivery, Environment environment, MeterRegistry registry,
            ObjectProvider<Clock> clock,
            @Value("${hub.crm.salesforce.max-api-usage:0.80}") double maxApiUsage) {
        SalesforceSettings settings = Binder.get(environment).bind("hub.crm.salesforce", SalesforceSettings.class)
                .orElseGet(SalesforceSettings::defaults);
        SalesforceRecords records = new SalesforceRecords(settings);
        CrmObjects objects = new CrmObjects(List.of("Account", settings.personObject(), "Task"), Set.of("Account"), "Task");
        return new DeliveryLoop(CRM, adapter, new Outbox(jdbc, tx, CRM), changes,
                change -> records.forCustomer(String.valueOf(change.customerId()), change.golden(), change.touchpoints()),
                objects, delivery, maxApiUsage, clock.getIfAvailable(Clock::systemUTC),
                new Backoff(delivery.backoffInitial(), delivery.backoffMax(), () -> ThreadLocalRandom.current().nextDouble()),
                new DeliveryMetrics(registry, CRM));
    }

    @Bean("crm")
    CrmHealth crmHealth(SalesforceAdapter adapter, DeliveryLoop loop) {
        return new CrmHealth(CRM, adapter::loggedIn, adapter::lastError, loop, adapter);
    }
}
