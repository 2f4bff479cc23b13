package org.touchpointhub.company;

import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.touchpointhub.enrich.FirmographicProvider;

/** The firmographic provider the settings ask for, behind the rate limit and the cache (cache first: a hit costs no permit). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FirmographicSettings.class)
class FirmographicsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FirmographicsConfiguration.class);

    @Bean
    FirmographicProvider firmographicProvider(FirmographicSettings s) {
        FirmographicProvider raw;
        switch (s.kind()) {
            case "file":
                raw = s.file().startsWith("classpath:") ? FirmographicProvider.resource(s.file().substring("classpath:".length()))
                        : FirmographicProvider.file(Path.of(s.file()));
                log.info("Firmographics from file {}", s.file());
                break;
            case "http":
                raw = FirmographicProvider.http(new FirmographicProvider.HttpOptions(s.url(), s.apiKeyHeader(), s.apiKey(),
                        s.timeout(), s.fields()));
                log.info("Firmographics from HTTP provider {} ({} look-ups/s at most)", hostOf(s.url()), s.ratePerSecond());
                break;
            default:
                log.info("Firmographics: no provider (hub.enrich.firmographics.kind=none)");
                return FirmographicProvider.none();
        }
        return FirmographicProvider.cached(FirmographicProvider.rateLimited(raw, s.ratePerSecond()), s.cacheSize(),
                s.cacheTtl(), s.negativeTtl(), Ticker.systemTicker());
    }

    private static String hostOf(String url) {
        try {
            return java.net.URI.create(url.replace("{domain}", "x")).getHost();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
