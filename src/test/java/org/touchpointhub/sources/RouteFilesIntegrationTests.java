package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.cluster.CamelClusterView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every {@code routes/*.yaml} loads and runs on the leader; the leader election hands over when the leader goes. */
class RouteFilesIntegrationTests extends SourcesTestSupport {

    @Autowired
    CamelContext camel;

    @Autowired
    DataSource dataSource;

    @Test // #5
    void everyRouteFileIsLoadedEndsAtTheOneDoorAndRunsOnTheLeader() throws IOException {
        // given every route file of the project
        List<JsonNode> routes = new ArrayList<>();
        List<JsonNode> templates = new ArrayList<>();
        List<String> templated = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode n : new YAMLMapper().readTree(f.toFile())) {
                    if (n.has("route")) {
                        routes.add(n.path("route"));
                    } else if (n.has("routeTemplate")) {
                        templates.add(n.path("routeTemplate"));
                    } else {
                        templated.add(n.path("templatedRoute").path("routeId").asText());
                    }
                }
            }
        }

        // when the hub has started (it loaded them from hub.routes-dir)

        // then each polling route and template names the shared error handling (a direct: step of a poller must not:
        // its failures go back to the poller), every route ends at direct:hub-inbound, and all run on this leader
        assertThat(routes).isNotEmpty();
        for (JsonNode t : templates) {
            assertThat(t.path("route").path("routeConfigurationId").asText()).as(t.path("id").asText()).isEqualTo("hub-source-errors");
            assertThat(t.toString()).as(t.path("id").asText()).contains("direct:hub-inbound");
        }
        for (String id : templated) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Started));
        }
        for (JsonNode r : routes) {
            String id = r.path("id").asText();
            boolean direct = r.path("from").path("uri").asText().startsWith("direct:");
            assertThat(r.path("routeConfigurationId").asText()).as(id).isEqualTo(direct ? "" : "hub-source-errors");
            assertThat(r.toString()).as(id).contains("direct:hub-inbound");
            Route route = camel.getRoute(id);
            assertThat(route).as(id).isNotNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Started));
        }
    }

    @Test // #5
    void anotherInstanceTakesTheLeadOnlyWhenTheLeaderStops() throws Exception {
        // given two hub instances' cluster services on the one database, and a namespace of their own
        String namespace = "test-" + UUID.randomUUID();
        PostgresClusterService first = new PostgresClusterService(dataSource, Duration.ofMillis(100));
        PostgresClusterService second = new PostgresClusterService(dataSource, Duration.ofMillis(100));
        first.setCamelContext(camel);
        second.setCamelContext(camel);
        first.start();
        CamelClusterView firstView = first.getView(namespace);
        await().atMost(Duration.ofSeconds(10)).until(() -> firstView.getLocalMember().isLeader());
        second.start();
        CamelClusterView secondView = second.getView(namespace);

        // when the second has had several chances to take the lead, and then the first stops
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(500)).until(() -> true);
        boolean secondLedWhileFirstRan = secondView.getLocalMember().isLeader();
        first.stop();

        // then the second did not lead while the first ran, and takes over once it is gone
        assertThat(secondLedWhileFirstRan).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> secondView.getLocalMember().isLeader());
        second.stop();
    }
}
