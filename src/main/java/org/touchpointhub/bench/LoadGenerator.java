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
 *     --stripe-secret=$STRIPE_WEBHOOK_SECRET --admin-password=… [--known=0] [--repeat=0.25] [--fuzzy=0.25] \
 *     [--duplicates=0.05] [--people=events×0.7] [--rate=0] [--warmup=2000] [--max-seconds=600]}</pre>
 *
 * <p>{@code --known} is the number of customers preloaded ({@link Preload}): {@code --repeat} and {@code --fuzzy} of
 * the events are then exact repeats and fuzzy variants of them (see {@link Population}).
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
        double repeat = Double.parseDouble(o.getOrDefault("repeat", "0.25"));
        double fuzzy = Double.parseDouble(o.getOrDefault("fuzzy", "0.25"));
        var population = new Population(people, 42, stripeSecret, duplicates, known, repeat, fuzzy);
        if (!await) {
            Result r = send(url, population, run, events, clients[0], typeformSecret, webformToken, maxSeconds, rate);
            String figures = r.json(clients[0], rate);
            if (resultFile != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(resultFile), figures);
            }
            System.out.println(figures);
            return;
        }
        if (warmup > 0) {
            System.out.printf("warming up with %d events…%n", warmup);
            send(url, population, run + "w", warmup, clients[0], typeformSecret, webformToken, maxSeconds, rate);
            long base = processedCount(http, url, adminAuth);
            awaitProcessed(http, url, adminAuth, base, maxSeconds);
        }
        List<String> rows = new ArrayList<>();
        for (int c : clients) {
            long before = processedCount(http, url, adminAuth);
            System.out.printf("%d clients: sending %d events…%n", c, events);
            Result r = send(url, population, run + "c" + c, events, c, typeformSecret, webformToken, maxSeconds, rate);
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
            long startNanos, long startEpochMillis, long endEpochMillis, long[] latenciesMicros, double cpuSeconds,
            double prepareSeconds) {

        String json(int clients, double rate) {
            return String.format(Locale.ROOT, "{\"clients\":%d,\"rate\":%.1f,\"sent\":%d,\"accepted\":%d,"
                    + "\"uniqueAccepted\":%d,\"duplicatesSent\":%d,\"errors\":%d,\"seconds\":%.3f,"
                    + "\"startEpochMillis\":%d,\"endEpochMillis\":%d,\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f,\"max\":%.2f,"
                    + "\"cpuSeconds\":%.3f,\"prepareSeconds\":%.3f}",
                    clients, rate, sent, accepted, uniqueAccepted, duplicatesSent, errors, seconds, startEpochMillis,
                    endEpochMillis, percentile(50), percentile(95), percentile(99), max(), cpuSeconds, prepareSeconds);
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

    /**
     * Sends {@code events} requests from {@code clients} threads. Every request is built and signed before the clock
     * starts (a Stripe signature older than four minutes is renewed when its request goes out, within Stripe's
     * five-minute tolerance), so what is timed is the hub, not the generator's JSON and HMAC work. The generator's
     * own CPU time during the timed part is measured and reported ({@code cpuSeconds}).
     */
    private static Result send(String url, Population population, String run, int events, int clients,
            String typeformSecret, String webformToken, long maxSeconds, double rate) throws Exception {
        long p0 = System.nanoTime();
        Population.Prepared[] prepared = new Population.Prepared[events];
        int[] originals = new int[events];
        for (int i = 0; i < events; i++) {
            originals[i] = population.original(i);
            if (originals[i] != i) {
                prepared[i] = prepared[originals[i]]; // a vendor's retry: the same event again
            } else {
                prepared[i] = population.request(run, i, typeformSecret, webformToken);
            }
        }
        double prepareSeconds = (System.nanoTime() - p0) / 1e9;
        try (LeanHttp http = new LeanHttp(url, clients)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            java.util.Set<Integer> acceptedOriginals = java.util.concurrent.ConcurrentHashMap.newKeySet();
            long[] latencies = new long[events];
            AtomicLong recorded = new AtomicLong();
            Duration cpu0 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
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
                        Population.Prepared request = prepared[i];
                        long t0 = System.nanoTime();
                        int status = http.post(request);
                        latencies[(int) recorded.getAndIncrement()] = (System.nanoTime() - t0) / 1000;
                        if (status == 202) {
                            accepted.incrementAndGet();
                            acceptedOriginals.add(originals[i]);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long end = System.currentTimeMillis();
            double cpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).minus(cpu0).toNanos() / 1e9;
            pool.shutdown();
            int sent = (int) recorded.get();
            int dups = 0;
            for (int i = 0; i < sent; i++) {
                dups += originals[i] != i ? 1 : 0;
            }
            return new Result(sent, accepted.get(), acceptedOriginals.size(), dups, errors.get(), seconds, start, startMillis,
                    end, Arrays.copyOf(latencies, sent), cpu, prepareSeconds);
        }
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
     * The load's events, reproducible from a seed: people of the benchmark's population ({@link People}) come
     * through a Typeform form, a web form or Stripe. With {@code known} customers preloaded ({@link Preload}), a
     * share of the events ({@code repeat}) are exact repeats of preloaded people (their e-mail and phone: the
     * deterministic path) and a share ({@code fuzzy}) are fuzzy variants of preloaded people: a nickname or a typo in
     * the name, a new e-mail address and no phone, so no identity key is shared and the event goes down the
     * probabilistic path, scored against the candidates its blocking keys find. The rest are the load's own people
     * (numbers from {@link Preload#MAX_PRELOAD} on), who return (repeat visitors); without a preload the fuzzy share
     * are variants of those. A share of requests re-send an earlier event, as vendors retry.
     */
    static final class Population {
        private final int people;
        private final long seed;
        private final String stripeSecret;
        private final double duplicates;
        private final int known;
        private final double repeat;
        private final double fuzzy;

        Population(int people, long seed) {
            this(people, seed, "", 0, 0, 0.25, 0.25);
        }

        Population(int people, long seed, String stripeSecret, double duplicates, int known, double repeat, double fuzzy) {
            if (people < 1 || repeat < 0 || fuzzy < 0 || repeat + fuzzy > 1 || duplicates < 0 || duplicates >= 1) {
                throw new IllegalArgumentException("people must be positive, repeat + fuzzy at most 1 and duplicates below 1 "
                        + "(people " + people + ", repeat " + repeat + ", fuzzy " + fuzzy + ", duplicates " + duplicates + ")");
            }
            this.people = people;
            this.seed = seed;
            this.stripeSecret = stripeSecret;
            this.duplicates = duplicates;
            this.known = known;
            this.repeat = repeat;
            this.fuzzy = fuzzy;
        }

        /** The request index whose event request {@code i} sends: itself, or an earlier one re-sent. */
        int original(int i) {
            java.util.SplittableRandom r = random(17, i);
            if (i > 0 && r.nextDouble() < duplicates) {
                return original(i - 1 - r.nextInt(Math.min(i, 50)));
            }
            return i;
        }

        /** What event {@code i} says about its person, before a connector's format: the person and whether it is a variant. */
        record Said(People.Person person, String first, String last, String email, String phone, String company,
                boolean fuzzy, boolean preloaded) {
        }

        Said said(String run, int i) {
            java.util.SplittableRandom r = random(31, i);
            double u = r.nextDouble();
            boolean variant;
            People.Person p;
            if (known > 0 && u < repeat + fuzzy) {
                p = People.person(Preload.SEED, r.nextInt(known));
                variant = u >= repeat;
            } else {
                p = People.person(Preload.SEED, Preload.MAX_PRELOAD + r.nextInt(people));
                variant = known == 0 && u < fuzzy;
            }
            return variant ? variant(p, run, i, r) : exact(p);
        }

        /** The person as the store knows them: the deterministic path when they are in it. */
        static Said exact(People.Person p) {
            return new Said(p, p.first(), p.last(), p.email(), p.phone(), p.company(), false, p.n() < Preload.MAX_PRELOAD);
        }

        /**
         * A fuzzy variant of a person: a nickname or a swapped pair of letters in a name (or the same name), the company
         * as stated or in capitals, a new e-mail address (tagged with the run and request) and no phone, so no
         * identity key the store knows.
         */
        static Said variant(People.Person p, String run, int i, java.util.SplittableRandom r) {
            String first = p.first();
            String last = p.last();
            switch (r.nextInt(3)) {
                case 0 -> first = p.nickname().equals(p.first()) ? typo(r, p.first()) : p.nickname();
                case 1 -> last = typo(r, p.last());
                default -> { } // the same name, other contact details
            }
            String email = (first.charAt(0) + last + "." + run + i).toLowerCase(Locale.ROOT) + "@mail.example";
            String company = r.nextBoolean() ? p.company() : p.company().toUpperCase(Locale.ROOT);
            return new Said(p, first, last, email, null, company, true, p.n() < Preload.MAX_PRELOAD);
        }

        /**
         * A generator for request {@code i}'s choices. Not {@code new Random(seed + i)}: java.util.Random's first
         * outputs for neighbouring seeds are nearly equal, so every request would make the same choice.
         */
        private java.util.SplittableRandom random(int purpose, int i) {
            return new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L + i);
        }

        private static String typo(java.util.SplittableRandom r, String s) {
            if (s.length() < 4) {
                return s;
            }
            int i = 1 + r.nextInt(s.length() - 3);
            return s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
        }

        /** One request, built and signed ahead of time. */
        static final class Prepared {
            final String pathAndQuery;
            final String contentType;
            final byte[] body;
            final String signatureHeader;
            volatile String signature;
            volatile long signedAt;
            final String stripeSecret;

            Prepared(String pathAndQuery, String contentType, byte[] body, String signatureHeader, String signature,
                    String stripeSecret) {
                this.pathAndQuery = pathAndQuery;
                this.contentType = contentType;
                this.body = body;
                this.signatureHeader = signatureHeader;
                this.signature = signature;
                this.stripeSecret = stripeSecret;
                this.signedAt = System.currentTimeMillis() / 1000;
            }

            /** The signature header's value, renewed when a Stripe signature would be near its 5-minute tolerance. */
            String signature() {
                long now = System.currentTimeMillis() / 1000;
                if (stripeSecret != null && now - signedAt > 240) {
                    signature = stripeSignature(stripeSecret, now, body);
                    signedAt = now;
                }
                return signature;
            }
        }

        Prepared request(String run, int i, String typeformSecret, String webformToken) {
            return request(said(run, i), run, i, typeformSecret, webformToken);
        }

        /** Request {@code i} saying {@code s}: through Typeform, the web form or Stripe, by {@code i} modulo 3. */
        Prepared request(Said s, String run, int i, String typeformSecret, String webformToken) {
            int kind = i % 3;
            if (kind == 2 && !stripeSecret.isEmpty()) {
                return stripe(run, i, s);
            }
            boolean typeform = !typeformSecret.isEmpty() && (kind == 0 || webformToken.isEmpty());
            if (typeform) {
                String body = "{\"event_id\":\"load-" + run + "-" + i + "\",\"event_type\":\"form_response\",\"form_response\":"
                        + "{\"form_id\":\"load\",\"token\":\"t" + i + "\",\"submitted_at\":\"2024-05-01T10:00:00Z\","
                        + "\"definition\":{\"title\":\"Load test\"},\"hidden\":{\"utm_source\":\"bench\"},\"answers\":["
                        + "{\"type\":\"email\",\"email\":\"" + s.email() + "\",\"field\":{\"type\":\"email\"}},"
                        + (s.phone() == null ? "" : "{\"type\":\"phone_number\",\"phone_number\":\"" + s.phone()
                                + "\",\"field\":{\"type\":\"phone_number\"}},")
                        + "{\"type\":\"text\",\"text\":\"" + s.first() + "\",\"field\":{\"type\":\"short_text\",\"ref\":\"first_name\"}},"
                        + "{\"type\":\"text\",\"text\":\"" + s.last() + "\",\"field\":{\"type\":\"short_text\",\"ref\":\"last_name\"}},"
                        + "{\"type\":\"text\",\"text\":\"" + s.company() + "\",\"field\":{\"type\":\"short_text\",\"ref\":\"company\"}},"
                        + "{\"type\":\"text\",\"text\":\"" + "x".repeat(500) + "\",\"field\":{\"type\":\"long_text\",\"ref\":\"message\"}}]}}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                return new Prepared("/hooks/typeform", "application/json", bytes, "Typeform-Signature",
                        "sha256=" + Base64.getEncoder().encodeToString(hmac(typeformSecret, bytes)), null);
            }
            String form = "submission_id=load-" + run + "-" + i + "&email=" + enc(s.email())
                    + "&first_name=" + enc(s.first()) + "&last_name=" + enc(s.last()) + "&company=" + enc(s.company())
                    + (s.phone() == null ? "" : "&phone=" + enc(s.phone()))
                    + "&message=" + "y".repeat(500) + "&utm_source=bench";
            return new Prepared("/hooks/webform?token=" + enc(webformToken), "application/x-www-form-urlencoded",
                    form.getBytes(StandardCharsets.UTF_8), null, null, null);
        }

        /** A Stripe {@code customer.updated} event, signed as Stripe signs: {@code t=<unix>,v1=<hex HMAC of "t.body">}. */
        private Prepared stripe(String run, int i, Said s) {
            long now = System.currentTimeMillis() / 1000;
            People.Person p = s.person();
            // a variant is a new Stripe customer; a known person keeps the id Stripe gave them
            String customer = s.fuzzy() ? "cus_v" + run + "_" + i : "cus_p" + p.n();
            String body = "{\"id\":\"evt_" + run + "_" + i + "\",\"object\":\"event\",\"type\":\"customer.updated\","
                    + "\"created\":" + now + ",\"livemode\":false,\"data\":{\"object\":{\"id\":\"" + customer
                    + "\",\"object\":\"customer\",\"email\":\"" + s.email() + "\",\"name\":\"" + s.first() + " " + s.last() + "\","
                    + (s.phone() == null ? "" : "\"phone\":\"" + s.phone() + "\",")
                    + "\"address\":{\"country\":\"US\",\"city\":\"" + p.city() + "\",\"line1\":\"" + p.street()
                    + "\",\"postal_code\":\"" + p.postcode() + "\"},\"description\":\"" + "z".repeat(400) + "\"}}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new Prepared("/hooks/stripe", "application/json", bytes, "Stripe-Signature",
                    stripeSignature(stripeSecret, now, bytes), stripeSecret);
        }

        private static String stripeSignature(String secret, long t, byte[] body) {
            byte[] prefix = (t + ".").getBytes(StandardCharsets.UTF_8);
            byte[] signed = Arrays.copyOf(prefix, prefix.length + body.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
            return "t=" + t + ",v1=" + java.util.HexFormat.of().formatHex(hmac(secret, signed));
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
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

    /**
     * A lean HTTP/1.1 client for the timed part: Apache HttpClient 5 (classic, blocking) with one pooled keep-alive
     * connection per client thread, no retries, redirects, cookies, compression or auth state, Nagle off. The JDK's
     * HttpClient costs several times more CPU per request (its asynchronous machinery hands every exchange between
     * threads), CPU taken from the server it measures on a 2-core machine.
     */
    static final class LeanHttp implements AutoCloseable {
        private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient client;
        private final org.apache.hc.core5.http.HttpHost host;

        LeanHttp(String url, int connections) {
            var connectionManager = org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                    .setDefaultSocketConfig(org.apache.hc.core5.http.io.SocketConfig.custom().setTcpNoDelay(true)
                            .setSoTimeout(org.apache.hc.core5.util.Timeout.ofSeconds(30)).build())
                    .build();
            client = org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(connectionManager)
                    .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement().disableAuthCaching()
                    .disableConnectionState().disableContentCompression().build();
            try {
                host = org.apache.hc.core5.http.HttpHost.create(URI.create(url));
            } catch (Exception e) {
                throw new IllegalArgumentException("not an HTTP URL: " + url, e);
            }
        }

        /** Posts a prepared request; returns the status, or -1 when no answer came. */
        int post(Population.Prepared p) {
            var request = new org.apache.hc.core5.http.message.BasicClassicHttpRequest("POST", host, p.pathAndQuery);
            request.setEntity(new org.apache.hc.core5.http.io.entity.ByteArrayEntity(p.body,
                    org.apache.hc.core5.http.ContentType.parse(p.contentType)));
            if (p.signatureHeader != null) {
                request.setHeader(p.signatureHeader, p.signature());
            }
            try {
                return client.execute(host, request, response -> {
                    org.apache.hc.core5.http.io.entity.EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
            } catch (java.io.IOException e) {
                return -1;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            client.close();
        }
    }
}
