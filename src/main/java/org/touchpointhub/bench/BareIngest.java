package org.touchpointhub.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The ceiling of the hub's edge on this machine: an HTTP endpoint that only does a persistent send to an embedded
 * Artemis (the hub's journal settings: NIO, 100 µs buffer time-out, synced) and answers 202. No signature check, no
 * parsing, no Spring: what is left is the HTTP server, the JMS client and the journal's disk syncs, so the hub's
 * accepted events/s divided by this one's says how much the hub's own edge code costs.
 *
 * <p>Two HTTP servers can be measured: {@code --server=tomcat} (the hub's embedded Tomcat with one plain servlet, the
 * default) and {@code --server=jdk} (the JDK's HttpServer with a thread pool); the benchmark measures both and keeps
 * the faster as the ceiling.
 *
 * <p>{@code GET /jit} answers this JVM's JIT compilation time so far, in ms, so the benchmark can warm the endpoint up
 * until its compiler has settled, as it does the hub, before it measures the ceiling.
 *
 * <pre>{@code java -jar target/touchpoint-hub.jar bare-ingest --port=0 --data-dir=/tmp/bare --threads=64 [--server=tomcat|jdk]}</pre>
 * Prints {@code bare-ingest listening on <url>} once it serves; stops when its standard input closes.
 */
public final class BareIngest {

    private BareIngest() {
    }

    /** Runs the bare endpoint until standard input closes. */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        Path dir = Path.of(o.getOrDefault("data-dir", "bare-data")).toAbsolutePath();
        int threads = Integer.parseInt(o.getOrDefault("threads", "64"));

        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalBufferTimeout_NIO(100_000)
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName()));
        config.addAddressSetting("#", new AddressSettings().setMaxSizeBytes(64L * 1024 * 1024)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
        config.addQueueConfiguration(QueueConfiguration.of("hub.inbound").setRoutingType(RoutingType.ANYCAST).setDurable(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config).start();

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
        Connection connection = factory.createConnection();
        connection.start();
        // one session and producer per server thread, as the hub's cached JMS sessions give it
        ThreadLocal<Sender> senders = ThreadLocal.withInitial(() -> new Sender(connection));

        int port = Integer.parseInt(o.getOrDefault("port", "0"));
        String kind = o.getOrDefault("server", "tomcat");
        AutoCloseable server;
        switch (kind) {
            case "jdk" -> server = jdkServer(port, threads, senders);
            case "tomcat" -> server = tomcatServer(port, threads, senders, dir.resolve("tomcat"));
            default -> throw new IllegalArgumentException("--server is jdk or tomcat, not '" + kind + "'");
        }
        System.out.flush();
        while (System.in.read() >= 0) {
            // discard: the parent holds our stdin open
        }
        server.close();
        connection.close();
        broker.stop();
    }

    /** The JDK's HttpServer with a fixed pool of handler threads. */
    private static AutoCloseable jdkServer(int port, int threads, ThreadLocal<Sender> senders) throws IOException {
        // the JDK server leaves Nagle's algorithm on: headers and body go out as two small writes, and the second
        // waits for the client's delayed ACK (about 40 ms), which would make this "ceiling" a floor
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, senders.get()));
        server.start();
        System.out.println("bare-ingest listening on http://127.0.0.1:" + server.getAddress().getPort());
        return () -> {
            server.stop(0);
            executor.shutdownNow();
        };
    }

    /**
     * Embedded Tomcat (the hub's server, NIO connector, keep-alive) with one plain servlet: the hub's HTTP stack
     * without Spring MVC, filters, signature checks or JSON.
     */
    private static AutoCloseable tomcatServer(int port, int threads, ThreadLocal<Sender> senders, Path base) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", String.valueOf(threads));
        connector.setProperty("maxKeepAliveRequests", "-1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "bare", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                byte[] body = request.getInputStream().readAllBytes();
                Answer a = answer(body, request.getRequestURI(), senders.get());
                response.setStatus(a.status);
                response.setContentType("application/json");
                response.setContentLength(a.bytes.length);
                response.getOutputStream().write(a.bytes);
            }

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                byte[] jit = jitMillis();
                response.setContentType("text/plain");
                response.setContentLength(jit.length);
                response.getOutputStream().write(jit);
            }
        });
        context.addServletMappingDecoded("/*", "bare");
        tomcat.start();
        System.out.println("bare-ingest listening on http://127.0.0.1:" + connector.getLocalPort());
        return () -> {
            tomcat.stop();
            tomcat.destroy();
        };
    }

    private record Answer(int status, byte[] bytes) {
    }

    private static Answer answer(byte[] body, String path, Sender sender) {
        try {
            String id = UUID.randomUUID().toString();
            sender.send(body, id, path);
            return new Answer(202, ("{\"eventId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return new Answer(503, "{\"type\":\"broker-unavailable\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** This JVM's JIT compilation time so far, in ms, as the body of {@code GET /jit}. */
    static byte[] jitMillis() {
        return String.valueOf(ManagementFactory.getCompilationMXBean().getTotalCompilationTime()).getBytes(StandardCharsets.UTF_8);
    }

    private static void handle(HttpExchange exchange, Sender sender) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer a = exchange.getRequestMethod().equals("GET") ? new Answer(200, jitMillis())
                    : answer(body, exchange.getRequestURI().getPath(), sender);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status, a.bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.bytes);
            }
        }
    }

    private static final class Sender {
        private final Session session;
        private final MessageProducer producer;

        Sender(Connection connection) {
            try {
                session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue queue = session.createQueue("hub.inbound");
                producer = session.createProducer(queue);
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            } catch (Exception e) {
                throw new IllegalStateException("cannot open a JMS session", e);
            }
        }

        void send(byte[] body, String id, String path) throws Exception {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            m.setStringProperty("HubEventId", id);
            m.setStringProperty("HubConnectorId", path);
            producer.send(m);
        }
    }
}
