package org.touchpointhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small, bounded load generator for a running hub: posts signed webhooks (Typeform HMAC and web-form token, a
 * synthetic population with repeat visitors) from N concurrent clients, then waits until the hub has processed them,
 * and prints a markdown table: accepted events/s, 202 latency percentiles, processed events/s, heap and resident
 * memory of the hub. It only talks to the URL it is given (loopback in every documented use), stops after
 * {@code --events} requests or {@code --max-seconds}, whichever comes first.
 *
 * <pre>{@code java -jar target/touchpoint-hub.jar load --url=http://127.0.0.1:8080 --events=10000 --clients=16 \
 *     --typeform-secret=$TYPEFORM_WEBHOOK_SECRET --webform-token=$WEBFORM_WEBHOOK_SECRET --admin-password=…}</pre>
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadGenerator() {
    }

    /** Runs the load from command-line options {@code --name=value}. */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String url = o.getOrDefault("url", "http://127.0.0.1:8080");
        int events = Integer.parseInt(o.getOrDefault("events", "10000"));
        int[] clients = Arrays.stream(o.getOrDefault("clients", "16").split(",")).mapToInt(Integer::parseInt).toArray();
        int people = Integer.parseInt(o.getOrDefault("people", String.valueOf(Math.max(1, events * 7 / 10))));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "2000"));
        long maxSeconds = Long.parseLong(o.getOrDefault("max-seconds", "600"));
        String typeformSecret = o.getOrDefault("typeform-secret", System.getenv().getOrDefault("TYPEFORM_WEBHOOK_SECRET", ""));
        String webformToken = o.getOrDefault("webform-token", System.getenv().getOrDefault("WEBFORM_WEBHOOK_SECRET", ""));
        String adminAuth = "Basic " + Base64.getEncoder().encodeToString((o.getOrDefault("admin-user", "admin") + ":"
                + o.getOrDefault("admin-password", System.getenv().getOrDefault("HUB_ADMIN_PASSWORD", ""))).getBytes(StandardCharsets.UTF_8));
        String run = Long.toString(System.currentTimeMillis(), 36);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var population = new Population(people, 42);
        if (warmup > 0) {
            System.out.printf("warming up with %d events…%n", warmup);
            send(http, url, population, run + "w", warmup, clients[0], typeformSecret, webformToken, maxSeconds);
            long base = processedCount(http, url, adminAuth);
            awaitProcessed(http, url, adminAuth, base, maxSeconds);
        }
        List<String> rows = new ArrayList<>();
        for (int c : clients) {
            long before = processedCount(http, url, adminAuth);
            System.out.printf("%d clients: sending %d events…%n", c, events);
            Result r = send(http, url, population, run + "c" + c, events, c, typeformSecret, webformToken, maxSeconds);
            long drainedAt = awaitProcessed(http, url, adminAuth, before + r.accepted, maxSeconds);
            long processed = processedCount(http, url, adminAuth) - before;
            double processedPerSecond = processed / ((drainedAt - r.startNanos) / 1e9);
            rows.add(String.format(Locale.ROOT, "| %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f |", c, r.sent, r.accepted,
                    r.accepted / r.seconds, r.percentile(50), r.percentile(95), r.percentile(99), r.max(), processedPerSecond,
                    metric(http, url, "jvm.memory.used", "area:heap") / 1048576.0,
                    metric(http, url, "hub.process.resident.bytes", null) / 1048576.0));
        }
        System.out.println();
        System.out.println("| clients | sent | 202 | accepted/s | 202 p50 ms | p95 ms | p99 ms | max ms | processed/s | heap MiB | RSS MiB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }

    private record Result(int sent, int accepted, double seconds, long startNanos, long[] latenciesMicros) {
        double percentile(int p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
        }

        double max() {
            return Arrays.stream(latenciesMicros).max().orElse(0) / 1000.0;
        }
    }

    private static Result send(HttpClient http, String url, Population population, String run, int events, int clients,
            String typeformSecret, String webformToken, long maxSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        long[] latencies = new long[events];
        AtomicLong recorded = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < events && System.nanoTime() < deadline) {
                    HttpRequest request = population.request(url, run, i, typeformSecret, webformToken);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies[(int) recorded.getAndIncrement()] = (System.nanoTime() - t0) / 1000;
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        }
                    } catch (Exception e) {
                        latencies[(int) recorded.getAndIncrement()] = (System.nanoTime() - t0) / 1000;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result((int) recorded.get(), accepted.get(), seconds, start, Arrays.copyOf(latencies, (int) recorded.get()));
    }

    /** Waits until the store holds {@code expected} events (every accepted one processed); returns when. */
    private static long awaitProcessed(HttpClient http, String url, String auth, long expected, long maxSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (System.nanoTime() < deadline) {
            if (processedCount(http, url, auth) >= expected) {
                return System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("the hub did not process every accepted event within " + maxSeconds + " s");
    }

    private static long processedCount(HttpClient http, String url, String auth) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/admin/stats")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /admin/stats answered " + r.statusCode() + ": pass --admin-password");
        }
        long total = 0;
        for (JsonNode n : JSON.readTree(r.body()).path("events")) {
            total += n.asLong();
        }
        return total;
    }

    private static double metric(HttpClient http, String url, String name, String tag) throws Exception {
        String q = tag == null ? "" : "?tag=" + tag;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/metrics/" + name + q)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return Double.NaN;
        }
        for (JsonNode m : JSON.readTree(r.body()).path("measurements")) {
            if (m.path("statistic").asText().equals("VALUE")) {
                return m.path("value").asDouble();
            }
        }
        return Double.NaN;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        return o;
    }

    /** A seeded synthetic population: people return (repeat visitors) and come through forms of two kinds. */
    static final class Population {
        private final int people;
        private final long seed;

        Population(int people, long seed) {
            this.people = people;
            this.seed = seed;
        }

        HttpRequest request(String url, String run, int i, String typeformSecret, String webformToken) {
            Random r = new Random(seed * 31 + i);
            int person = r.nextInt(people);
            String email = "person" + person + "@load.example";
            boolean typeform = !typeformSecret.isEmpty() && (i % 2 == 0 || webformToken.isEmpty());
            if (typeform) {
                String body = "{\"event_id\":\"load-" + run + "-" + i + "\",\"event_type\":\"form_response\",\"form_response\":"
                        + "{\"form_id\":\"load\",\"token\":\"t" + i + "\",\"submitted_at\":\"2024-05-01T10:00:00Z\","
                        + "\"definition\":{\"title\":\"Load test\"},\"hidden\":{\"utm_source\":\"bench\"},\"answers\":["
                        + "{\"type\":\"email\",\"email\":\"" + email + "\",\"field\":{\"type\":\"email\"}},"
                        + "{\"type\":\"text\",\"text\":\"Person " + person + "\",\"field\":{\"type\":\"short_text\",\"ref\":\"name\"}},"
                        + "{\"type\":\"text\",\"text\":\"" + "x".repeat(600) + "\",\"field\":{\"type\":\"long_text\",\"ref\":\"message\"}}]}}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                return HttpRequest.newBuilder(URI.create(url + "/hooks/typeform")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Typeform-Signature", "sha256=" + Base64.getEncoder().encodeToString(hmac(typeformSecret, bytes)))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            }
            String form = "submission_id=load-" + run + "-" + i + "&email=" + email.replace("@", "%40")
                    + "&name=Person+" + person + "&phone=%2B1212" + String.format("%07d", person % 10_000_000)
                    + "&message=" + "y".repeat(600) + "&utm_source=bench";
            return HttpRequest.newBuilder(URI.create(url + "/hooks/webform?token=" + webformToken)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        }

        private static byte[] hmac(String secret, byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac.doFinal(body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
