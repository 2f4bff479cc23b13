package org.touchpointhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Operators tune the embedded PostgreSQL through hub properties, but never its durability. */
class EmbeddedPostgresSettingsTests {

    @Test // #7
    void namesWithDashesOrUnderscoresBecomePostgresSettings() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("hub.embedded-postgres.settings.shared-buffers", "512MB")
                .withProperty("hub.embedded-postgres.settings.work_mem", "8MB")
                .withProperty("hub.embedded-postgres.settings.pg_stat_statements.track", "all");
        assertThat(EmbeddedPostgresConfiguration.serverSettings(env))
                .containsEntry("shared_buffers", "512MB")
                .containsEntry("work_mem", "8MB")
                .containsEntry("pg_stat_statements.track", "all")
                .hasSize(3);
    }

    @Test // #7
    void nothingGivenMeansNothingAdded() {
        assertThat(EmbeddedPostgresConfiguration.serverSettings(new MockEnvironment())).isEmpty();
    }

    @Test // #7
    void durabilityCannotBeSwitchedOff() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.embedded-postgres.settings.fsync", "off");
        assertThatThrownBy(() -> EmbeddedPostgresConfiguration.serverSettings(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.embedded-postgres.settings.fsync cannot be changed");
        MockEnvironment commit = new MockEnvironment()
                .withProperty("hub.embedded-postgres.settings.synchronous-commit", "off");
        assertThatThrownBy(() -> EmbeddedPostgresConfiguration.serverSettings(commit))
                .hasMessageContaining("cannot be changed");
    }
}
