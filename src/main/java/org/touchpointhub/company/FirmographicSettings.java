package org.touchpointhub.company;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Firmographic enrichment ({@code hub.enrich.firmographics.*}).
 *
 * @param kind           {@code none} (default: no provider, companies still linked and ordered in a hierarchy),
 *                       {@code file} or {@code http}
 * @param file           the CSV for {@code kind=file}: a path, or {@code classpath:enrich/firmographics-sample.csv}
 *                       (the default, synthetic sample data)
 * @param url            the URL template for {@code kind=http}, with {@code {domain}}
 * @param apiKeyHeader   the header carrying the API key, default {@code Authorization} (sent as {@code Bearer <key>})
 * @param apiKey         the API key; from the environment only ({@code HUB_ENRICH_FIRMOGRAPHICS_API_KEY})
 * @param timeout        one HTTP look-up's connect and answer timeout, default 5s
 * @param fields         JSONPath per field (industry, employees, country, parent_domain), defaults {@code $.<field>}
 * @param cacheSize      domains kept in the cache, default 10000
 * @param cacheTtl       how long an answer is kept, default 24h
 * @param negativeTtl    how long "the provider knows nothing" is kept, default 1h
 * @param ratePerSecond  look-ups a second that reach the provider, default 5
 * @param interval       pause between runs of the background job, default 5s
 * @param batchSize      companies looked up per run, default 50
 * @param retryDelay     first wait before a failed look-up is tried again (doubling per attempt, at most 1h), default 30s
 */
@ConfigurationProperties("hub.enrich.firmographics")
record FirmographicSettings(
        @DefaultValue("none") String kind,
        @DefaultValue("classpath:enrich/firmographics-sample.csv") String file,
        String url,
        @DefaultValue("Authorization") String apiKeyHeader,
        String apiKey,
        @DefaultValue("5s") Duration timeout,
        Map<String, String> fields,
        @DefaultValue("10000") long cacheSize,
        @DefaultValue("24h") Duration cacheTtl,
        @DefaultValue("1h") Duration negativeTtl,
        @DefaultValue("5") double ratePerSecond,
        @DefaultValue("5s") Duration interval,
        @DefaultValue("50") int batchSize,
        @DefaultValue("30s") Duration retryDelay) {

    FirmographicSettings {
        if (!"none".equals(kind) && !"file".equals(kind) && !"http".equals(kind)) {
            throw new IllegalArgumentException("hub.enrich.firmographics.kind must be none, file or http, not '" + kind + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("hub.enrich.firmographics.batch-size must be at least 1, not " + batchSize);
        }
    }
}
