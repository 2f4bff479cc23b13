package org.touchpointhub.support;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An ActiveMQ Artemis broker as its own operating-system process, for the fault drills: {@code main(dataDir, port)}
 * starts a persistent broker with a TCP acceptor on 127.0.0.1 and the settings of {@code src/main/docker/artemis/
 * broker.xml} (paging, no redelivery limit), and prints {@code READY}. Killed with SIGKILL and started again on the
 * same folder, it recovers its journal.
 */
public final class StandaloneArtemis {

    private StandaloneArtemis() {
    }

    /** Starts the broker and waits until this process is terminated. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("drill-broker");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalType(JournalType.NIO);
        config.setJournalBufferTimeout_NIO(100_000);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        config.setMaxDiskUsage(100);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("#", new AddressSettings()
                .setMaxSizeBytes(64L * 1024 * 1024)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setRedeliveryDelay(500)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(30_000)
                .setMaxDeliveryAttempts(-1)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        config.addQueueConfiguration(QueueConfiguration.of("hub.inbound").setRoutingType(RoutingType.ANYCAST).setDurable(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                System.out.println("Artemis did not stop cleanly: " + e);
            }
        }, "stop-artemis"));
        System.out.println("READY artemis on tcp://127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
