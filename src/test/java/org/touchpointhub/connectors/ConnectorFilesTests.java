package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.touchpointhub.connector.ConnectorFiles;
import org.touchpointhub.support.TestSecrets;

/** Every connector file the project ships loads without a problem, with every secret it names set. */
class ConnectorFilesTests {

    private static final Map<String, String> SECRETS = Map.of(
            "SENDGRID_WEBHOOK_PUBLIC_KEY", TestSecrets.SENDGRID_PUBLIC_KEY,
            "STANDARD_WEBHOOKS_WEBHOOK_SECRET", TestSecrets.STANDARD_WEBHOOKS);

    @Test // #5
    void everyConnectorFileLoadsWithoutProblems() {
        // given every secret a connector names, with a well-formed value
        // when the project's connectors/ folder is loaded
        var loaded = ConnectorFiles.load(Path.of("connectors"), name -> SECRETS.getOrDefault(name, "test-" + name), 1 << 20);

        // then nothing is wrong, every file became a connector, and none lacks a secret
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.connectors().keySet()).contains("typeform", "webform", "jotform", "mailchimp", "sendgrid",
                "mailgun", "calendly", "calcom", "stripe", "paddle", "chargebee", "twilio-voice", "twilio-sms",
                "standard-webhooks");
        assertThat(loaded.connectors()).hasSize(yamlFiles("connectors"));
        assertThat(loaded.connectors().values()).noneMatch(c -> c.secretMissing());
    }

    @Test // #5
    void theSecretsTheConnectorsNameAreTheIssuesEnvironmentVariables() throws IOException {
        // given the contract: <ID>_WEBHOOK_SECRET, except Twilio, SendGrid and Chargebee
        Map<String, String> expected = Map.ofEntries(
                Map.entry("jotform", "JOTFORM_WEBHOOK_SECRET"), Map.entry("mailchimp", "MAILCHIMP_WEBHOOK_SECRET"),
                Map.entry("sendgrid", "SENDGRID_WEBHOOK_PUBLIC_KEY"), Map.entry("mailgun", "MAILGUN_WEBHOOK_SECRET"),
                Map.entry("calendly", "CALENDLY_WEBHOOK_SECRET"), Map.entry("calcom", "CALCOM_WEBHOOK_SECRET"),
                Map.entry("stripe", "STRIPE_WEBHOOK_SECRET"), Map.entry("paddle", "PADDLE_WEBHOOK_SECRET"),
                Map.entry("chargebee", "CHARGEBEE_WEBHOOK_PASSWORD"), Map.entry("twilio-voice", "TWILIO_AUTH_TOKEN"),
                Map.entry("twilio-sms", "TWILIO_AUTH_TOKEN"),
                Map.entry("standard-webhooks", "STANDARD_WEBHOOKS_WEBHOOK_SECRET"));

        // when each is loaded with no environment at all
        var loaded = ConnectorFiles.load(Path.of("connectors"), name -> null, 1 << 20);

        // then each misses exactly its contract variable(s), and so answers 503 until it is set
        assertThat(loaded.problems()).isEmpty();
        expected.forEach((id, variable) -> assertThat(loaded.connectors().get(id).missingSecrets()).as(id).contains(variable));
        assertThat(loaded.connectors().get("chargebee").missingSecrets()).contains("CHARGEBEE_WEBHOOK_USER");
    }

    private static int yamlFiles(String dir) {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return (int) files.filter(f -> f.toString().endsWith(".yaml")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
