package org.touchpointhub.enrich;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the hub learns what a company is (industry, size, country, parent company) from its domain: a file the admin
 * keeps, or an HTTP data provider. Implementations are package-private; build them with the static factories and
 * wrap them with {@link #cached} and {@link #rateLimited}.
 *
 * <p>Why look-ups may throw: "the provider knows nothing about this domain" (empty, worth remembering for a while) and
 * "the provider cannot answer now" (a 429, a 5xx, a timeout, a malformed answer, the rate limit: {@link Unavailable},
 * never remembered, asked again later) need different handling, and a caller must never wait for a permit.
 */
public interface FirmographicProvider {

    /**
     * What the provider knows about the company of a domain, or empty when it knows nothing.
     *
     * @throws Unavailable when the provider cannot answer now (try again later)
     */
    Optional<Firmographics> lookup(String domain);

    /** The provider that knows nothing: firmographic enrichment off. */
    static FirmographicProvider none() {
        return domain -> Optional.empty();
    }

    /**
     * A CSV file (header {@code domain,industry,employees,country,parent_domain}, {@code #} comments), read at once,
     * checked row by row (a bad row fails with its file and line), and read again when its modification time changes
     * (a changed file with problems is refused and the rows in force stay).
     */
    static FirmographicProvider file(Path file) {
        return new FileFirmographicProvider(file);
    }

    /** The same CSV format from a classpath resource (the shipped sample), read once. */
    static FirmographicProvider resource(String resource) {
        return new FileFirmographicProvider(resource);
    }

    /** An HTTP data provider: one GET per domain, the JSON answer read by configurable JSONPaths. */
    static FirmographicProvider http(HttpOptions options) {
        return new HttpFirmographicProvider(options);
    }

    /**
     * A cache in front of a provider: answers kept for {@code ttl}, "knows nothing" for {@code negativeTtl},
     * failures not at all; at most {@code maximumSize} domains.
     */
    static FirmographicProvider cached(FirmographicProvider provider, long maximumSize, Duration ttl, Duration negativeTtl,
            Ticker ticker) {
        return new CachingFirmographicProvider(provider, maximumSize, ttl, negativeTtl, ticker);
    }

    /** At most {@code permitsPerSecond} look-ups reach the provider; one over the limit fails at once with {@link Unavailable}. */
    static FirmographicProvider rateLimited(FirmographicProvider provider, double permitsPerSecond) {
        return new RateLimitedFirmographicProvider(provider, permitsPerSecond);
    }

    /**
     * What a provider knows about a company.
     *
     * @param industry     free text, at most 255 characters, or null
     * @param employees    a head count ({@code 250}) or a size band ({@code 51-200}, {@code 10000+}), or null
     * @param country      ISO 3166-1 alpha-2 (upper case), or null
     * @param parentDomain the domain of the parent company, when the provider names one, or null
     * @param source       which provider said so ({@code file}, {@code http}), never blank
     */
    record Firmographics(String industry, String employees, String country, String parentDomain, String source) {

        private static final Pattern EMPLOYEES = Pattern.compile("[0-9]{1,9}(-[0-9]{1,9}|\\+)?");
        private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

        public Firmographics {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("firmographics need a source");
            }
            industry = blankToNull(industry);
            if (industry != null && industry.length() > 255) {
                throw new IllegalArgumentException("industry is longer than 255 characters");
            }
            employees = blankToNull(employees);
            if (employees != null && !EMPLOYEES.matcher(employees).matches()) {
                throw new IllegalArgumentException("employees '" + employees + "' is not a head count or a band (51-200, 10000+)");
            }
            country = blankToNull(country);
            if (country != null) {
                country = country.toUpperCase(Locale.ROOT);
                if (!COUNTRIES.contains(country)) {
                    throw new IllegalArgumentException("country '" + country + "' is not an ISO 3166-1 alpha-2 code");
                }
            }
            parentDomain = blankToNull(parentDomain);
            if (parentDomain != null) {
                parentDomain = Domains.host(parentDomain).orElseThrow(() ->
                        new IllegalArgumentException("parent domain is not a domain name"));
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    /** The provider cannot answer now (rate limit, 429, 5xx, timeout, malformed answer): ask again later. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String outcome;

        /** @param outcome a short metric tag: {@code rate_limited} or {@code failed} */
        public Unavailable(String outcome, String message, Throwable cause) {
            super(message, cause);
            this.outcome = Objects.requireNonNull(outcome, "outcome");
        }

        /** {@code rate_limited} or {@code failed}. */
        public String outcome() {
            return outcome;
        }
    }

    /**
     * How to call an HTTP data provider.
     *
     * @param urlTemplate  the URL with {@code {domain}} where the domain goes, e.g. {@code https://api.example.com/v1/companies/{domain}}
     * @param apiKeyHeader the header that carries the API key ({@code Authorization} takes {@code Bearer <key>}), or null
     * @param apiKey       the key, or null for none
     * @param timeout      connect and answer timeout of one look-up
     * @param fields       JSONPaths per field ({@code industry}, {@code employees}, {@code country}, {@code parent_domain});
     *                     missing entries take the defaults {@code $.industry}, {@code $.employees}, {@code $.country},
     *                     {@code $.parent_domain}
     */
    record HttpOptions(String urlTemplate, String apiKeyHeader, String apiKey, Duration timeout, Map<String, String> fields) {

        /** The default JSONPath of each field. */
        public static final Map<String, String> DEFAULT_FIELDS = Map.of("industry", "$.industry", "employees", "$.employees",
                "country", "$.country", "parent_domain", "$.parent_domain");

        public HttpOptions {
            if (urlTemplate == null || !urlTemplate.contains("{domain}")) {
                throw new IllegalArgumentException("hub.enrich.firmographics.url must contain {domain}, not " + urlTemplate);
            }
            URI probe = URI.create(urlTemplate.replace("{domain}", "example.com"));
            if (!"http".equals(probe.getScheme()) && !"https".equals(probe.getScheme())) {
                throw new IllegalArgumentException("hub.enrich.firmographics.url must be http or https, not " + urlTemplate);
            }
            Objects.requireNonNull(timeout, "timeout");
            fields = fields == null ? Map.of() : Map.copyOf(fields);
            for (String key : fields.keySet()) {
                if (!DEFAULT_FIELDS.containsKey(key)) {
                    throw new IllegalArgumentException("hub.enrich.firmographics.fields." + key + " is not a field (known: "
                            + new java.util.TreeSet<>(DEFAULT_FIELDS.keySet()) + ")");
                }
            }
        }

        /** The JSONPath of a field. */
        public String path(String field) {
            return fields.getOrDefault(field, DEFAULT_FIELDS.get(field));
        }
    }
}
