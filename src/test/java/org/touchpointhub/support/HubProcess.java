package org.touchpointhub.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged hub ({@code target/touchpoint-hub.jar}) as a separate operating-system process, started the way the
 * README says, so a test can kill it with SIGKILL and start it again on the same data folder.
 */
public final class HubProcess implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "process-test-password";

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final List<String> extraArgs;
    private final Map<String, String> extraEnv;
    private Process process;

    public HubProcess(Path dataDir, Path log, List<String> extraArgs, Map<String, String> extraEnv) {
        this.dataDir = dataDir;
        this.log = log;
        this.port = freePort();
        this.extraArgs = extraArgs;
        this.extraEnv = extraEnv;
    }

    /** Starts the hub and waits until {@code /actuator/health} is UP; returns the seconds it took. */
    public double start() throws IOException {
        Path jar = Path.of("target", "touchpoint-hub.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify' (package comes first)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "--server.port=" + port, "--hub.data-dir=" + dataDir,
                "--hub.connectors-dir=" + Path.of("connectors").toAbsolutePath()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("HUB_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("TYPEFORM_WEBHOOK_SECRET", TestSecrets.TYPEFORM);
        pb.environment().put("WEBFORM_WEBHOOK_SECRET", TestSecrets.WEBFORM);
        pb.environment().putAll(extraEnv);
        long t0 = System.nanoTime();
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the JVM. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for the graceful shutdown; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public HookClient hooks() {
        return new HookClient(base());
    }

    public AdminClient admin() {
        return new AdminClient(base(), "admin", ADMIN_PASSWORD);
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
