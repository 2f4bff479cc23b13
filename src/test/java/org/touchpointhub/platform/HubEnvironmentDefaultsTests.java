package org.touchpointhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class HubEnvironmentDefaultsTests {

    @Test // #3
    void externalBrokerSwitchesTheEmbeddedOneOff() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.artemis.broker-url", "tcp://127.0.0.1:61616");

        new HubEnvironmentDefaults().postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.artemis.mode")).isEqualTo("native");
        assertThat(env.getProperty("spring.artemis.embedded.enabled")).isEqualTo("false");
    }

    @Test // #3
    void journalLivesUnderTheDataFolder() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.data-dir", "/srv/hub");

        new HubEnvironmentDefaults().postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.artemis.mode")).isEqualTo("embedded");
        assertThat(env.getProperty("spring.artemis.embedded.data-directory")).isEqualTo("/srv/hub/artemis");
    }

    @Test // #3
    void aMissingRoutesFolderMeansNoPullRoutesInsteadOfAFailedStart() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.routes-dir", "target/no-such-routes-folder")
                .withProperty("camel.main.routes-include-pattern", "file:target/no-such-routes-folder/*.yaml");

        new HubEnvironmentDefaults().postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("camel.main.routes-include-pattern")).startsWith("classpath:");
        assertThat(env.getProperty("camel.main.routes-reload-enabled")).isEqualTo("false");
    }
}
