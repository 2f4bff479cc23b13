package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.touchpointhub.enrich.FirmographicProvider.Firmographics;
import org.touchpointhub.enrich.FirmographicProvider.HttpOptions;
import org.touchpointhub.enrich.FirmographicProvider.Unavailable;

/** The HTTP adapter against a real HTTP server on loopback (the JDK's), answering per domain. */
class HttpFirmographicProviderTests {

    private HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/companies/", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String domain = exchange.getRequestURI().getPath().substring("/v1/companies/".length());
        calls.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        String key = exchange.getRequestHeaders().getFirst("X-Api-Key");
        if (key != null) {
            apiKeys.add(key);
        }
        switch (domain) {
            case "acme.com":
                send(exchange, 200, "{\"industry\":\"Manufacturing\",\"employees\":\"1001-5000\",\"country\":\"us\","
                        + "\"parent_domain\":null}");
                break;
            case "acme.co.uk":
                send(exchange, 200, "{\"category\":{\"industry\":\"Manufacturing\"},\"metrics\":{\"employeesRange\":\"51-200\"},"
                        + "\"geo\":{\"countryCode\":\"GB\"},\"parent\":{\"domain\":\"acme.com\"}}");
                break;
            case "busy.com":
                send(exchange, 429, "{\"error\":\"slow down\"}");
                break;
            case "broken.com":
                send(exchange, 503, "");
                break;
            case "slow.com":
                try {
                    release.await(10, TimeUnit.SECONDS); // answers only when the test ends, long after the timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, "{}");
                break;
            case "malformed.com":
                send(exchange, 200, "{\"industry\": \"Manu");
                break;
            case "array.com":
                send(exchange, 200, "[1,2,3]");
                break;
            case "hostile.com":
                send(exchange, 200, "{\"industry\":\"<script>alert(1)</script>\\u0000\\u001b[31m" + "x".repeat(5000) + "\","
                        + "\"employees\":\"lots; drop table companies\",\"country\":\"ZZ\",\"parent_domain\":\"../../etc/passwd\"}");
                break;
            default:
                send(exchange, 404, "{\"error\":\"unknown\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private HttpOptions options(Map<String, String> fields) {
        return new HttpOptions("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/companies/{domain}", "X-Api-Key",
                "k-123", Duration.ofMillis(500), fields);
    }

    private FirmographicProvider http() {
        return FirmographicProvider.http(options(Map.of()));
    }

    private FirmographicProvider cached(FirmographicProvider provider) {
        return FirmographicProvider.cached(provider, 100, Duration.ofHours(24), Duration.ofMinutes(10), ticker);
    }

    private int calls(String domain) {
        return calls.getOrDefault(domain, new AtomicInteger()).get();
    }

    @Test // #6
    void readsAnAnswerWithTheDefaultFieldsAndSendsTheApiKey() {
        Firmographics found = http().lookup("www.ACME.com").orElseThrow();

        assertThat(found).isEqualTo(new Firmographics("Manufacturing", "1001-5000", "US", null, "http"));
        assertThat(apiKeys).containsExactly("k-123");
    }

    @Test // #6
    void readsAnAnswerWithConfiguredFieldPaths() {
        FirmographicProvider provider = FirmographicProvider.http(options(Map.of("industry", "$.category.industry",
                "employees", "$.metrics.employeesRange", "country", "$.geo.countryCode", "parent_domain", "$.parent.domain")));

        assertThat(provider.lookup("acme.co.uk")).contains(new Firmographics("Manufacturing", "51-200", "GB", "acme.com", "http"));
    }

    @Test // #6
    void notFoundIsEmptyAndCachedNegativelyUntilItsShorterTtlPasses() {
        FirmographicProvider provider = cached(http());

        assertThat(provider.lookup("unknown.com")).isEmpty();
        assertThat(provider.lookup("unknown.com")).isEmpty();
        assertThat(calls("unknown.com")).isEqualTo(1);

        nanos.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(provider.lookup("unknown.com")).isEmpty();
        assertThat(calls("unknown.com")).isEqualTo(2);
    }

    @Test // #6
    void aCacheHitMakesNoSecondCallUntilTheTtlPasses() {
        FirmographicProvider provider = cached(http());

        provider.lookup("acme.com");
        nanos.addAndGet(Duration.ofHours(23).toNanos());
        assertThat(provider.lookup("mail.acme.com".substring(5))).isPresent();
        assertThat(calls("acme.com")).isEqualTo(1);

        nanos.addAndGet(Duration.ofHours(2).toNanos());
        provider.lookup("acme.com");
        assertThat(calls("acme.com")).isEqualTo(2);
    }

    @Test // #6
    void tooManyRequestsAndServerErrorsAreUnavailableAndNotCached() {
        FirmographicProvider provider = cached(http());

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> provider.lookup("busy.com")).isInstanceOf(Unavailable.class)
                    .hasMessageContaining("HTTP 429").extracting(e -> ((Unavailable) e).outcome()).isEqualTo("failed");
            assertThatThrownBy(() -> provider.lookup("broken.com")).isInstanceOf(Unavailable.class).hasMessageContaining("HTTP 503");
        }
        assertThat(calls("busy.com")).isEqualTo(2);
        assertThat(calls("broken.com")).isEqualTo(2);
    }

    @Test // #6
    void aSlowServerTimesOut() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> http().lookup("slow.com")).isInstanceOf(Unavailable.class).hasMessageContaining("timed out");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test // #6
    void malformedJsonOrANonObjectIsUnavailable() {
        assertThatThrownBy(() -> http().lookup("malformed.com")).isInstanceOf(Unavailable.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> http().lookup("array.com")).isInstanceOf(Unavailable.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test // #6
    void hostileValuesAreCleanedCutOrDropped() {
        Firmographics found = http().lookup("hostile.com").orElseThrow();

        assertThat(found.industry()).startsWith("<script>alert(1)</script>").doesNotContain("\u0000").doesNotContain("\u001b")
                .hasSizeLessThanOrEqualTo(255);
        assertThat(found.employees()).isNull();
        assertThat(found.country()).isNull();
        assertThat(found.parentDomain()).isNull();
    }

    @Test // #6
    void aDomainThatIsNotADomainNeverReachesTheServer() {
        assertThat(http().lookup("../admin?x=")).isEmpty();
        assertThat(http().lookup("evil.com/../../x")).isEmpty();

        assertThat(calls).doesNotContainKey("..");
        assertThat(calls.keySet()).allMatch(k -> k.equals("evil.com"));
    }

    @Test // #6
    void theRateLimitLetsOnlySoManyLookUpsThroughAndNeverWaits() {
        FirmographicProvider provider = FirmographicProvider.rateLimited(http(), 1);
        int refused = 0;
        long start = System.nanoTime();

        for (int i = 0; i < 10; i++) {
            try {
                provider.lookup("acme.com");
            } catch (Unavailable e) {
                assertThat(e.outcome()).isEqualTo("rate_limited");
                refused++;
            }
        }

        assertThat(calls("acme.com")).isEqualTo(1);
        assertThat(refused).isEqualTo(9);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test // #6
    void aCacheInFrontOfTheRateLimitServesHitsWithoutAPermit() {
        FirmographicProvider provider = cached(FirmographicProvider.rateLimited(http(), 1));

        for (int i = 0; i < 5; i++) {
            assertThat(provider.lookup("acme.com")).isPresent();
        }

        assertThat(calls("acme.com")).isEqualTo(1);
    }

    @Test // #6
    void badOptionsAreRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> new HttpOptions("http://x/companies", null, null, Duration.ofSeconds(1), null))
                .hasMessageContaining("hub.enrich.firmographics.url must contain {domain}");
        assertThatThrownBy(() -> new HttpOptions("ftp://x/{domain}", null, null, Duration.ofSeconds(1), null))
                .hasMessageContaining("must be http or https");
        assertThatThrownBy(() -> new HttpOptions("http://x/{domain}", null, null, Duration.ofSeconds(1), Map.of("revenue", "$.r")))
                .hasMessageContaining("hub.enrich.firmographics.fields.revenue is not a field");
    }
}
