package org.touchpointhub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorFilesTests {

    @TempDir
    Path temp;

    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void folder() throws Exception {
        dir = Files.createDirectories(temp.resolve("connectors"));
    }

    private ConnectorFiles.Loaded load(Map<String, String> env) {
        return ConnectorFiles.load(dir, env::get, 1024 * 1024);
    }

    @Test // #3
    void reportsEveryProblemAtOnceWithFileAndPath() throws Exception {
        Files.writeString(dir.resolve("x.yaml"), """
                id: x
                verify:
                  scheme: token
                  secret: ${X_SECRET}
                touchpoint:
                  type: form_submited
                person:
                  email: $.email | lowercse
                  shoe_size: $.shoe
                evnt:
                  id: $.id
                """);
        Files.writeString(dir.resolve("y.yaml"), """
                id: not-y
                verify:
                  scheme: stripee
                person:
                  email: $..[
                """);

        var loaded = load(Map.of("X_SECRET", "s"));

        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/x.yaml: person.email: unknown transform 'lowercse' (known: "));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/x.yaml: person.shoe_size: unknown attribute"));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/x.yaml: touchpoint.type: unknown touchpoint type 'form_submited'"));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/x.yaml: evnt: unknown key"));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/y.yaml: id: 'not-y' must match the file name 'y'"));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/y.yaml: verify.scheme: unknown scheme 'stripee'"));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/y.yaml: person.email: invalid JSONPath"));
        assertThat(loaded.connectors()).isEmpty();
    }

    @Test // #3
    void unsetSecretMarksTheConnectorInsteadOfFailing() throws Exception {
        Files.writeString(dir.resolve("z.yaml"), """
                id: z
                verify:
                  scheme: token
                  secret: ${Z_WEBHOOK_SECRET}
                touchpoint:
                  type: form_submitted
                person:
                  email: $.email
                """);

        var unset = load(Map.of());
        var set = load(Map.of("Z_WEBHOOK_SECRET", "value"));

        assertThat(unset.problems()).isEmpty();
        assertThat(unset.connectors().get("z").secretMissing()).isTrue();
        assertThat(unset.connectors().get("z").missingSecrets()).containsExactly("Z_WEBHOOK_SECRET");
        assertThat(set.connectors().get("z").secretMissing()).isFalse();
        assertThat(set.connectors().get("z").verify().verifier()).isNotNull();
    }

    @Test // #3
    void invalidYamlAndMissingVerifyAreProblems() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "id: a\n  bad: [indent");
        Files.writeString(dir.resolve("b.yaml"), "id: b\ntouchpoint:\n  type: form_submitted\nperson:\n  email: $.email\n");

        var loaded = load(Map.of());

        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("connectors/a.yaml: not valid YAML"));
        assertThat(loaded.problems()).contains("connectors/b.yaml: verify: required for webhook connectors (a scheme and its secret)");
    }
}
