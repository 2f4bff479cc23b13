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
 * A small, bounded load generator for a running hub: posts signed webhooks (Typeform HMAC, web-form token and
 * Stripe-Signature; a synthetic population with repeat visitors, and a share of re-sent events as vendors retry)
 * from N concurrent clients, optionally paced to {@code --rate} events/s, then waits until the hub has processed
 * them, and prints a markdown table: accepted events/s, 202 latency percentiles, processed events/s, heap and
 * resident memory of the hub. It only talks to the URL it is given (loopback in every documented use), stops after
 * {@code --events} requests or {@code --max-seconds}, whichever comes first.
 *
 * <pre>{@code java -jar target/touchpoint-hub.jar load --url=http://127.0.0.1:8080 --events=10000 --clients=16 \
 *     --typeform-secret=$TYPEFORM_WEBHOOK_SECRET --webform-token=$WEBFORM_WEBHOOK_SECRET \
 *     --stripe-secret=$STRIPE_WEBHOOK_SECRET --admin-password=…}</pre>
 *
 * <p>The benchmark harness ({@link Bench}) runs it with {@code --await=false --result=<file>}: it only sends, writes
 * its figures as one JSON object, and leaves the waiting to the harness.
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
        String stripeSecret = o.getOrDefault("stripe-secret", System.getenv().getOrDefault("STRIPE_WEBHOOK_SECRET", ""));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        double duplicates = Double.parseDouble(o.getOrDefault("duplicates", "0.05"));
        int known = Integer.parseInt(o.getOrDefault("known", "0"));
        boolean await = Boolean.parseBoolean(o.getOrDefault("await", "true"));
        String resultFile = o.get("result");
        String adminAuth = "Basic " + Base64.getEncoder().encodeToString((o.getOrDefault("admin-user", "admin") + ":"
                + o.getOrDefault("admin-password", System.getenv().getOrDefault("HUB_ADMIN_PASSWORD", ""))).getBytes(StandardCharsets.UTF_8));
        String run = o.getOrDefault("run", Long.toString(System.currentTimeMillis(), 36));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        var population = new Population(people, 42, stripeSecret, duplicates, known);
        if (!await) {
            Result r = send(http, url, population, run, events, clients[0], typeformSecret, webformToken, maxSeconds, rate);
            String figures = r.json(clients[0], rate);
            if (resultFile != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(resultFile), figures);
            }
            System.out.println(figures);
            return;
        }
        if (warmup > 0) {
            System.out.printf("warming up with %d events…%n", warmup);
            send(http, url, population, run + "w", warmup, clients[0], typeformSecret, webformToken, maxSeconds, rate);
            long base = processedCount(http, url, adminAuth);
            awaitProcessed(http, url, adminAuth, base, maxSeconds);
        }
        List<String> rows = new ArrayList<>();
        for (int c : clients) {
            long before = processedCount(http, url, adminAuth);
            System.out.printf("%d clients: sending %d events…%n", c, events);
            Result r = send(http, url, population, run + "c" + c, events, c, typeformSecret, webformToken, maxSeconds, rate);
            long drainedAt = awaitProcessed(http, url, adminAuth, before + r.uniqueAccepted, maxSeconds);
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

    private record Result(int sent, int accepted, int uniqueAccepted, int duplicatesSent, int errors, double seconds,
            long startNanos, long startEpochMillis, long endEpochMillis, long[] latenciesMicros) {

        String json(int clients, double rate) {
            return String.format(Locale.ROOT, "{\"clients\":%d,\"rate\":%.1f,\"sent\":%d,\"accepted\":%d,"
                    + "\"uniqueAccepted\":%d,\"duplicatesSent\":%d,\"errors\":%d,\"seconds\":%.3f,"
                    + "\"startEpochMillis\":%d,\"endEpochMillis\":%d,\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f,\"max\":%.2f}",
                    clients, rate, sent, accepted, uniqueAccepted, duplicatesSent, errors, seconds, startEpochMillis,
                    endEpochMillis, percentile(50), percentile(95), percentile(99), max());
        }

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
            String typeformSecret, String webformToken, long maxSeconds, double rate) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        java.util.Set<Integer> originals = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long[] latencies = new long[events];
        AtomicLong recorded = new AtomicLong();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < events && System.nanoTime() < deadline) {
                    if (rate > 0) {
                        // open-loop pacing: request i is due at start + i / rate, whatever earlier answers took
                        long due = start + (long) (i * 1e9 / rate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                    int original = population.original(i);
                    if (original != i) {
                        duplicates.incrementAndGet();
                    }
                    HttpRequest request = population.request(url, run, original, typeformSecret, webformToken);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies[(int) recorded.getAndIncrement()] = (System.nanoTime() - t0) / 1000;
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                            originals.add(original);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        latencies[(int) recorded.getAndIncrement()] = (System.nanoTime() - t0) / 1000;
                        errors.incrementAndGet();
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
        return new Result((int) recorded.get(), accepted.get(), originals.size(), duplicates.get(), errors.get(), seconds,
                start, startMillis, System.currentTimeMillis(), Arrays.copyOf(latencies, (int) recorded.get()));
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

    /**
     * A seeded synthetic population: people return (repeat visitors), come through a Typeform form, a web form or
     * Stripe, a share of requests re-send an earlier event (a vendor's retry), and a share are people already in the
     * store ({@code known} preloaded customers, see {@link Preload}).
     */
    static final class Population {
        private final int people;
        private final long seed;
        private final String stripeSecret;
        private final double duplicates;
        private final int known;

        Population(int people, long seed) {
            this(people, seed, "", 0, 0);
        }

        Population(int people, long seed, String stripeSecret, double duplicates, int known) {
            this.people = people;
            this.seed = seed;
            this.stripeSecret = stripeSecret;
            this.duplicates = duplicates;
            this.known = known;
        }

        /** The request index whose event request {@code i} sends: itself, or an earlier one re-sent. */
        int original(int i) {
            Random r = new Random(seed * 17 + i);
            if (i > 0 && r.nextDouble() < duplicates) {
                return original(i - 1 - r.nextInt(Math.min(i, 50)));
            }
            return i;
        }

        HttpRequest request(String url, String run, int i, String typeformSecret, String webformToken) {
            Random r = new Random(seed * 31 + i);
            int person = r.nextInt(people);
            String email = "person" + person + "@load.example";
            String phone = "+1212" + String.format("%07d", person % 10_000_000);
            if (known > 0 && r.nextInt(4) == 0) {
                int k = r.nextInt(known);
                email = Preload.email(k);
                phone = Preload.phone(k);
            }
            int kind = i % 3;
            if (kind == 2 && !stripeSecret.isEmpty()) {
                return stripe(url, run, i, person, email, phone);
            }
            boolean typeform = !typeformSecret.isEmpty() && (kind == 0 || webformToken.isEmpty());
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
                    + "&name=Person+" + person + "&phone=" + phone.replace("+", "%2B")
                    + "&message=" + "y".repeat(600) + "&utm_source=bench";
            return HttpRequest.newBuilder(URI.create(url + "/hooks/webform?token=" + webformToken)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        }

        /** A Stripe {@code customer.updated} event, signed as Stripe signs: {@code t=<unix>,v1=<hex HMAC of "t.body">}. */
        private HttpRequest stripe(String url, String run, int i, int person, String email, String phone) {
            long now = System.currentTimeMillis() / 1000;
            String body = "{\"id\":\"evt_" + run + "_" + i + "\",\"object\":\"event\",\"type\":\"customer.updated\","
                    + "\"created\":" + now + ",\"livemode\":false,\"data\":{\"object\":{\"id\":\"cus_load" + person
                    + "\",\"object\":\"customer\",\"email\":\"" + email + "\",\"name\":\"Person " + person + "\","
                    + "\"phone\":\"" + phone + "\",\"address\":{\"country\":\"US\",\"city\":\"New York\","
                    + "\"postal_code\":\"10001\"},\"description\":\"" + "z".repeat(400) + "\"}}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String signed = now + "." + body;
            String v1 = java.util.HexFormat.of().formatHex(hmac(stripeSecret, signed.getBytes(StandardCharsets.UTF_8)));
            return HttpRequest.newBuilder(URI.create(url + "/hooks/stripe")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Stripe-Signature", "t=" + now + ",v1=" + v1)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
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
