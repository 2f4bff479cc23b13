package org.touchpointhub.drills;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.touchpointhub.bench.SalesforceDouble;
import org.touchpointhub.support.EngineProcess;
import org.touchpointhub.support.HookClient;
import org.touchpointhub.support.HubProcess;
import org.touchpointhub.support.TestSecrets;

/**
 * What the fault drills share: a folder per drill under {@code target/drills} (kept for reading the logs), the hub's
 * arguments for standalone engines and the Salesforce double, and a webhook sender that remembers which events were
 * acknowledged (202) and what every other answer was.
 */
final class Drill {

    private Drill() {
    }

    /** A fresh folder {@code target/drills/<name>}; left in place afterwards so the logs can be read. */
    static Path folder(String name) throws IOException {
        Path dir = Path.of("target", "drills", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    /** Hub arguments for an external PostgreSQL and Artemis, and (if given) Salesforce mode against the double. */
    static List<String> hubArgs(EngineProcess postgres, EngineProcess artemis, SalesforceDouble salesforce, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.address=127.0.0.1",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.artemis.broker-url=" + artemis.brokerUrl(),
                "--hub.processing.consumers=2",
                "--hub.processing.max-consumers=4"));
        if (salesforce != null) {
            args.addAll(List.of(
                    "--hub.crm.kind=salesforce",
                    "--camel.component.salesforce.login-url=" + salesforce.url(),
                    "--camel.component.salesforce.client-id=" + SalesforceDouble.CLIENT_ID,
                    "--camel.component.salesforce.client-secret=" + SalesforceDouble.CLIENT_SECRET,
                    "--camel.component.salesforce.user-name=" + SalesforceDouble.USER_NAME,
                    "--camel.component.salesforce.password=" + SalesforceDouble.PASSWORD,
                    "--camel.component.salesforce.lazy-login=true",
                    "--hub.crm.delivery.poll-interval=100ms",
                    "--hub.crm.delivery.backoff-initial=100ms",
                    "--hub.crm.delivery.backoff-max=2s",
                    "--hub.crm.delivery.retry-delay=200ms",
                    "--hub.crm.delivery.usage-pause=500ms",
                    "--hub.crm.delivery.lease=5s"));
        }
        for (String arg : more) {
            // a later --name=value replaces an earlier one (Spring would join both into a list)
            String key = arg.substring(0, arg.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(key));
            args.add(arg);
        }
        return args;
    }

    /** Kills (SIGKILL) whatever is still running, hubs first, never throwing, so a drill always cleans up. */
    static void killAll(List<HubProcess> hubs, EngineProcess... engines) {
        for (HubProcess hub : hubs) {
            try {
                hub.kill();
            } catch (Exception | Error e) {
                System.out.println("[drill] could not kill a hub: " + e);
            }
        }
        for (EngineProcess engine : engines) {
            try {
                if (engine != null) {
                    engine.stop();
                }
            } catch (Exception | Error e) {
                System.out.println("[drill] could not stop an engine: " + e);
            }
        }
    }

    /** The Typeform documentation sample with another event id and email. */
    static byte[] typeform(String eventId, String email) {
        try (InputStream in = Drill.class.getResourceAsStream("/fixtures/typeform/form_response.docs-example-2018.json")) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("LtWXD3crgy", eventId).replace("laura@example.com", email);
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The number of records of {@code object} in the double and how many distinct external ids they carry. */
    static long distinct(SalesforceDouble salesforce, String object, String externalIdField) {
        return salesforce.records(object).stream().map(r -> String.valueOf(r.get(externalIdField)).toLowerCase())
                .distinct().count();
    }

    /** A counter from {@code /admin/stats}, e.g. {@code events.mapped}. */
    static long stat(HubProcess hub, String path) {
        JsonNode node = hub.admin().get("/admin/stats");
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node.asLong();
    }

    /**
     * Posts Typeform events to whichever hub {@code target} names at the moment, remembering the events answered
     * 202 and counting every other answer; a refused connection (hub killed) counts as status 0.
     */
    static final class Sender {

        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final Map<String, String> attempted = new ConcurrentHashMap<>();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Supplier<HookClient> target;

        Sender(Supplier<HookClient> target) {
            this.target = target;
        }

        /** Posts one event; answers its status (0: no answer). */
        int post(String eventId, String email) {
            attempted.put(eventId, email);
            int status;
            try {
                status = target.get().typeform(typeform(eventId, email), TestSecrets.TYPEFORM).statusCode();
            } catch (RuntimeException e) {
                status = 0;
                if (failures.size() < 5) {
                    failures.add(eventId + ": " + e.getMessage());
                }
            }
            if (status == 202) {
                acknowledged.add(eventId);
            }
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            return status;
        }

        /**
         * Posts every event not yet acknowledged again, as a webhook sender retries a 503 or a lost answer (the
         * same event id, so the hub recognises one it had queued after all); answers how many were re-sent.
         */
        int resendUnacknowledged() {
            List<String> open = attempted.keySet().stream().filter(id -> !acknowledged.contains(id)).toList();
            for (String id : open) {
                post(id, attempted.get(id));
            }
            return open.size();
        }

        int count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }
    }
}
