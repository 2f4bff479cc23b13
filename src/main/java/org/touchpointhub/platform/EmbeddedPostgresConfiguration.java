package org.touchpointhub.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded PostgreSQL the hub starts when no {@code spring.datasource.url} is given.
 *
 * <p>Zonky starts PostgreSQL with {@code fsync=off} and {@code synchronous_commit=off}, which would make the
 * "an accepted event is never lost" promise false; both are set back to {@code on} here. The data lives under
 * {@code ${hub.data-dir}/postgres} and survives restarts. A previous hub process killed with SIGKILL leaves its
 * postmaster running on the same data folder; it is stopped before the new one starts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url", matchIfMissing = true, havingValue = "__embedded__")
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${hub.data-dir:./data}") String dataDir, Environment environment)
            throws IOException {
        Path dir = Path.of(dataDir, "postgres").toAbsolutePath().normalize();
        Files.createDirectories(dir);
        stopOrphanedPostmaster(dir);
        Map<String, String> extra = serverSettings(environment);
        long start = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setPGStartupWait(Duration.ofSeconds(60));
        extra.forEach(builder::setServerConfig);
        EmbeddedPostgres pg = builder.start();
        log.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {} (fsync=on, synchronous_commit=on{}) in {} ms",
                pg.getPort(), dir, extra.isEmpty() ? "" : ", " + extra, (System.nanoTime() - start) / 1_000_000);
        return pg;
    }

    /**
     * Further server settings from {@code hub.embedded-postgres.settings.<name>=<value>}, e.g. {@code
     * …settings.shared-buffers=512MB}; dashes in a name become PostgreSQL's underscores. The durability settings above
     * cannot be weakened this way: an accepted event must survive a crash.
     */
    static Map<String, String> serverSettings(Environment environment) {
        Map<String, String> bound = Binder.get(environment)
                .bind("hub.embedded-postgres.settings", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, String> settings = new TreeMap<>();
        bound.forEach((name, value) -> {
            String setting = name.replace('-', '_').toLowerCase(Locale.ROOT);
            if (setting.equals("fsync") || setting.equals("synchronous_commit") || setting.equals("full_page_writes")) {
                throw new IllegalArgumentException("hub.embedded-postgres.settings." + name + " cannot be changed: the"
                        + " embedded PostgreSQL keeps fsync, synchronous_commit and full_page_writes on so that an"
                        + " accepted event survives a crash");
            }
            if (!setting.matches("[a-z][a-z0-9_.]*")) {
                throw new IllegalArgumentException("hub.embedded-postgres.settings." + name
                        + " is not a PostgreSQL setting name");
            }
            settings.put(setting, value);
        });
        return settings;
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres pg, @Value("${hub.datasource.pool-size:16}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
        config.setUsername("postgres");
        config.setPoolName("hub-embedded");
        config.setMaximumPoolSize(poolSize);
        return new HikariDataSource(config);
    }

    /** Stops a postmaster a killed hub left behind on this data folder, so the new one can start. */
    private static void stopOrphanedPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    log.warn("Stopping PostgreSQL (pid {}) left running by a previous hub process on {}", pid, dir);
                    p.destroy(); // SIGTERM: smart shutdown; the WAL keeps every committed transaction
                    try {
                        p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
        File lock = dir.resolve("epg-lock").toFile();
        if (lock.exists() && !lock.delete()) {
            log.debug("could not remove {}", lock);
        }
    }
}
