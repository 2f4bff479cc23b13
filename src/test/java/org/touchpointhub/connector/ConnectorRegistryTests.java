package org.touchpointhub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class ConnectorRegistryTests {

    @TempDir
    Path temp;

    private static final String VALID = """
            id: %s
            verify: {scheme: token, secret: "${T}"}
            touchpoint: {type: form_submitted}
            person: {email: $.email}
            """;

    @Test // #3
    void refusesToStartWithBrokenFilesListingEveryProblem() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("connectors"));
        Files.writeString(dir.resolve("a.yaml"), "id: a\nperson: {email: $.email | lowercse}\n");

        assertThatThrownBy(() -> new ConnectorRegistry(dir.toString(), new MockEnvironment(), "1MiB"))
                .isInstanceOf(ConnectorRegistry.InvalidConnectorFilesException.class)
                .hasMessageContaining("connectors/a.yaml: person.email: unknown transform 'lowercse'")
                .hasMessageContaining("connectors/a.yaml: verify: required");
    }

    @Test // #3
    void picksUpAChangedFileWithoutRestartAndKeepsTheOldOnesWhenTheChangeIsBroken() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("connectors"));
        Files.writeString(dir.resolve("a.yaml"), VALID.formatted("a"));
        var registry = new ConnectorRegistry(dir.toString(), new MockEnvironment().withProperty("T", "t"), "1MiB");

        Files.writeString(dir.resolve("b.yaml"), VALID.formatted("b"));
        registry.reloadIfChanged();
        boolean afterAdd = registry.find("b").isPresent();
        Files.writeString(dir.resolve("b.yaml"), "id: b\nperson: {email: $.email | nope}\n");
        Files.setLastModifiedTime(dir.resolve("b.yaml"), FileTime.from(Instant.now().plusSeconds(5)));
        registry.reloadIfChanged();

        assertThat(afterAdd).isTrue();
        assertThat(registry.find("a")).isPresent();
        assertThat(registry.find("b")).isPresent();
    }
}
