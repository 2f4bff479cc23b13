package org.touchpointhub.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone engine (PostgreSQL or Artemis) as a separate JVM on loopback, started from the test classpath, that
 * a fault drill can kill and start again on the same data folder and port.
 *
 * <p>The classpath goes to the child through an argument file, because under failsafe {@code java.class.path} may be
 * a manifest-only booter jar and the real one ({@code surefire.test.class.path}) can be longer than a command line.
 */
public final class EngineProcess implements AutoCloseable {

    private final String name;
    private final Class<?> main;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final String heap;
    private Process process;
    private int starts;

    private EngineProcess(String name, Class<?> main, Path dataDir, Path log, String heap) {
        this.name = name;
        this.main = main;
        this.dataDir = dataDir;
        this.log = log;
        this.heap = heap;
        this.port = freePort();
    }

    /** A PostgreSQL server with its data under {@code dir/postgres}; not started yet. */
    public static EngineProcess postgres(Path dir) {
        return new EngineProcess("postgres", StandalonePostgres.class, dir.resolve("postgres"), dir.resolve("postgres.log"),
                "-Xmx64m");
    }

    /** An Artemis broker with its journal under {@code dir/artemis}; not started yet. */
    public static EngineProcess artemis(Path dir) {
        return new EngineProcess("artemis", StandaloneArtemis.class, dir.resolve("artemis"), dir.resolve("artemis.log"),
                "-Xmx256m");
    }

    /** Starts the engine and waits (at most 90 s) until it prints READY; the port stays the same across restarts. */
    public EngineProcess start() throws IOException {
        Path argFile = log.resolveSibling(name + ".args");
        String classpath = System.getProperty("surefire.test.class.path", "");
        if (classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"", StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "@" + argFile, main.getName(),
                dataDir.toAbsolutePath().toString(), String.valueOf(port)));
        int readyBefore = readyLines();
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        starts++;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            return readyLines() > readyBefore;
        });
        return this;
    }

    /** SIGKILL of the engine's JVM; for PostgreSQL also of the postmaster, which runs outside that JVM. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
        postmaster().ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /** SIGTERM: Artemis stops, PostgreSQL makes a fast shutdown (open connections are terminated). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
        // a postmaster that outlived its JVM (killed before its shutdown hook ran) gets a fast shutdown (SIGINT)
        postmaster().ifPresent(p -> {
            try {
                new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
                if (!p.onExit().toCompletableFuture().completeOnTimeout(p, 30, TimeUnit.SECONDS).join().isAlive()) {
                    return;
                }
            } catch (IOException e) {
                // fall through to SIGKILL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        });
    }

    /** Whether the engine's JVM is running. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The loopback port the engine listens on. */
    public int port() {
        return port;
    }

    /** How often the engine was started. */
    public int starts() {
        return starts;
    }

    /** The JDBC URL of the PostgreSQL server. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?reWriteBatchedInserts=true";
    }

    /** The broker URL of the Artemis broker. */
    public String brokerUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the engine (see {@link #stop()}). */
    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private java.util.Optional<ProcessHandle> postmaster() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return java.util.Optional.empty();
            }
            String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private int readyLines() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return (int) Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("READY ")).count();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The folder holding the engine's files. */
    public File dataDir() {
        return dataDir.toFile();
    }
}
