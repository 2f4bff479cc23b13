package org.touchpointhub.sources;

import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs every pull route on one hub instance at a time: a route that names {@code hub-source-errors} and does not
 * start at {@code direct:} gets Camel's {@link ClusteredRoutePolicy} on the namespace {@value #NAMESPACE}, backed by
 * {@link PostgresClusterService}, so it starts only where this instance holds the lead and moves when the leader
 * goes away. Routes reloaded from {@code routes/} get the policy again when they are re-created.
 */
@Component
class PollerLeadership implements CamelContextConfiguration, RoutePolicyFactory {

    /** The cluster namespace of the pull routes. */
    static final String NAMESPACE = "hub-pollers";

    private final PostgresClusterService cluster;

    PollerLeadership(DataSource dataSource, @Value("${hub.pollers.leader-check-interval:5s}") Duration checkInterval) {
        this.cluster = new PostgresClusterService(dataSource, checkInterval);
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        try {
            context.addService(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the poller cluster service", e);
        }
        context.addRoutePolicyFactory(this);
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || !SourceErrors.ID.equals(definition.getRouteConfigurationId())
                || definition.getInput() == null || definition.getInput().getEndpointUri().startsWith("direct:")) {
            return null;
        }
        try {
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(cluster, NAMESPACE);
            policy.setCamelContext(context);
            policy.setInitialDelay(Duration.ZERO);
            return policy;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make route " + routeId + " leader-only", e);
        }
    }

    /** True while this instance runs the pull routes. */
    boolean isLeader() {
        return cluster.isLeader(NAMESPACE);
    }
}
