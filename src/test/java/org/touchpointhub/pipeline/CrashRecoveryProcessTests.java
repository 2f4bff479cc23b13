package org.touchpointhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.touchpointhub.support.HubProcess;
import org.touchpointhub.support.TestSecrets;

/**
 * The hub as a real process: killed with SIGKILL right after the last 202, started again on the same data folder,
 * every accepted event is processed exactly once; customers and dead letters survive restarts; SIGTERM shuts down
 * gracefully; personal data never reaches the log at INFO.
 */
class CrashRecoveryProcessTests {

    @TempDir
    Path dir;

    @Test // #3
    void everyAcceptedEventIsProcessedExactlyOnceAfterSigkillAndRestart() throws Exception {
        Path data = dir.resolve("data");
        // kept under target/ so a failed run can be read afterwards
        Path log = Files.createDirectories(Path.of("target", "process-logs")).resolve("crash-recovery.log");
        Files.deleteIfExists(log);
        int events = 500;
        AtomicInteger accepted = new AtomicInteger();

        try (HubProcess hub = new HubProcess(data, log, List.of(), Map.of())) {
            double startup = hub.start();
            System.out.printf("[#3 measure] start-up to health UP: %.1f s%n", startup);
            // one event that cannot be mapped (bad submitted_at) becomes a dead letter that must survive restarts
            assertThat(hub.hooks().typeform(typeform("crash-bad", "crash.bad@example.com", "not-a-date"), TestSecrets.TYPEFORM)
                    .statusCode()).isEqualTo(202);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < events; i++) {
                int n = i;
                sent.add(pool.submit(() -> {
                    var r = hub.hooks().typeform(typeform("crash-" + n, "crash.person" + (n % 250) + "@example.com",
                            "2024-05-01T10:00:00Z"), TestSecrets.TYPEFORM);
                    if (r.statusCode() == 202) {
                        accepted.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            hub.kill();
            pool.shutdown();
        }
        assertThat(accepted.get()).isEqualTo(events);

        try (HubProcess hub = new HubProcess(data, log, List.of(), Map.of())) {
            hub.start();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    hub.admin().get("/admin/stats").path("events").path("mapped").asLong() == events);
            JsonNode stats = hub.admin().get("/admin/stats");

            assertThat(stats.path("touchpoints").asLong()).isEqualTo(events);
            assertThat(stats.path("customers").asLong()).isEqualTo(250);
            assertThat(stats.path("deadLettersOpen").asLong()).isEqualTo(1);
            assertThat(hub.stop()).isIn(0, 143);
        }

        try (HubProcess hub = new HubProcess(data, log, List.of(), Map.of())) {
            hub.start();
            JsonNode stats = hub.admin().get("/admin/stats");
            assertThat(stats.path("customers").asLong()).isEqualTo(250);
            assertThat(stats.path("deadLettersOpen").asLong()).isEqualTo(1);
            assertThat(hub.admin().customersByEmail("CRASH.person7@example.com").get(0).path("touchpoints").asInt()).isEqualTo(2);
            assertThat(hub.stop()).isIn(0, 143);
        }

        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logText).contains("Started TouchpointHub");
        assertThat(logText).doesNotContain("@example.com").doesNotContain("Laura");
    }

    static byte[] typeform(String eventId, String email, String submittedAt) {
        try (var in = CrashRecoveryProcessTests.class.getResourceAsStream("/fixtures/typeform/form_response.docs-example-2018.json")) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("LtWXD3crgy", eventId).replace("laura@example.com", email)
                    .replace("\"submitted_at\": \"2018-01-18T18:17:02Z\"", "\"submitted_at\": \"" + submittedAt + "\"");
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
