package org.touchpointhub.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server as its own operating-system process, for the fault drills: {@code main(dataDir, port)} starts
 * zonky's PostgreSQL on 127.0.0.1 with durable settings on a fixed data folder and port, prints {@code READY}, and
 * stops it (fast shutdown) when this JVM gets SIGTERM. Started again on the same folder it recovers from its WAL.
 */
public final class StandalonePostgres {

    private StandalonePostgres() {
    }

    /** Starts the server and waits until this process is terminated. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        File lock = dir.resolve("epg-lock").toFile();
        if (lock.exists() && !lock.delete()) {
            System.out.println("could not remove " + lock);
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.toFile())
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.out.println("PostgreSQL did not stop cleanly: " + e);
            }
        }, "stop-postgres"));
        System.out.println("READY postgres on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
