package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** The Calendly poller's route files on a machine that has not configured Calendly: nothing runs, nothing fails. */
class HttpPollerRouteFilesTests {

    @Test // #5
    void withoutTokenAndOrganizationTheCalendlyRoutesDoNotExist() throws Exception {
        // given a bare Camel with neither CALENDLY_API_TOKEN nor hub.pollers.calendly.organization
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setInitialProperties(new Properties());

            // when the template and its Calendly instance are loaded and Camel starts
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/http-poller.yaml"),
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/calendly-poll.yaml"));
            camel.start();

            // then the template is there, but neither the poller nor its invitee step was created
            assertThat(camel.getRouteTemplateDefinition("http-poller")).isNotNull();
            assertThat(camel.getRoute("poll-calendly")).isNull();
            assertThat(camel.getRoute("expand-calendly-invitees")).isNull();
        }
    }
}
