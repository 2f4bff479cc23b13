package org.touchpointhub.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The connectors in force: loaded from {@code ${hub.connectors-dir}} at start-up (the hub refuses to start when a
 * file has problems, listing them all), and reloaded when a file changes. A reload with problems keeps the
 * connectors in force and logs every problem, so a typo made while the hub runs never takes a source offline.
 */
@Component
public class ConnectorRegistry {

    private static final Logger log = LoggerFactory.getLogger(ConnectorRegistry.class);

    private final Path dir;
    private final Environment env;
    private final long defaultMaxBody;
    private volatile Map<String, ConnectorDefinition> connectors;
    private volatile Map<Path, FileTime> stamps;

    ConnectorRegistry(@Value("${hub.connectors-dir:./connectors}") String dir, Environment env,
            @Value("${hub.ingest.max-body-size:1MB}") String maxBody) {
        this.dir = Path.of(dir);
        this.env = env;
        this.defaultMaxBody = DataSize.parse(maxBody.replace("iB", "B")).toBytes();
        this.stamps = stamps();
        ConnectorFiles.Loaded loaded = load();
        if (!loaded.problems().isEmpty()) {
            throw new InvalidConnectorFilesException(loaded.problems());
        }
        this.connectors = loaded.connectors();
        log.info("Loaded {} connector(s) from {}: {}", connectors.size(), this.dir.toAbsolutePath().normalize(),
                String.join(", ", new TreeMap<>(connectors).keySet()));
        connectors.values().stream().filter(ConnectorDefinition::secretMissing).forEach(c ->
                log.warn("Connector {} answers 503 until {} is set", c.id(), String.join(", ", c.missingSecrets())));
    }

    /** The connector with this id, if one is loaded. */
    public Optional<ConnectorDefinition> find(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    /** All loaded connectors by id. */
    public Map<String, ConnectorDefinition> all() {
        return connectors;
    }

    /** Reloads when a file was added, changed or removed. */
    @Scheduled(fixedDelayString = "${hub.connectors-reload-interval:2s}")
    public void reloadIfChanged() {
        Map<Path, FileTime> now = stamps();
        if (now.equals(stamps)) {
            return;
        }
        stamps = now;
        ConnectorFiles.Loaded loaded = load();
        if (!loaded.problems().isEmpty()) {
            log.error("Connector files changed but have problems; keeping the connectors in force:\n  {}",
                    String.join("\n  ", loaded.problems()));
            return;
        }
        connectors = loaded.connectors();
        log.info("Reloaded {} connector(s): {}", connectors.size(), String.join(", ", new TreeMap<>(connectors).keySet()));
    }

    private ConnectorFiles.Loaded load() {
        return ConnectorFiles.load(dir, env::getProperty, defaultMaxBody);
    }

    private Map<Path, FileTime> stamps() {
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        Map<Path, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p, Files.getLastModifiedTime(p));
            }
        } catch (IOException e) {
            log.warn("Cannot list {}: {}", dir, e.getMessage());
        }
        return out;
    }

    /** The connector files have problems; the message lists every one, each with its file and path. */
    public static class InvalidConnectorFilesException extends IllegalStateException {
        private final List<String> problems;

        InvalidConnectorFilesException(List<String> problems) {
            super("Connector files have " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
            this.problems = problems;
        }

        /** Every problem, each prefixed with its file and path. */
        public List<String> problems() {
            return problems;
        }
    }
}
