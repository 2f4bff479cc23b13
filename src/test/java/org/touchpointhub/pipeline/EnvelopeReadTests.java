package org.touchpointhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.Random;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;

/**
 * A queued event's body comes back byte for byte, whatever its size: empty, small (read in one go, no copy), exactly
 * one read chunk, just over it, and large messages the broker streams (over 100 KB), through a real embedded Artemis.
 */
class EnvelopeReadTests {

    private static EmbeddedActiveMQ broker;
    private static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName())));
        broker.start();
        connection = new ActiveMQConnectionFactory("vm://0").createConnection();
        connection.start();
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        broker.stop();
    }

    @Test // #7
    void bodiesOfEverySizeComeBackWhole() throws Exception {
        Random random = new Random(3);
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Queue queue = session.createQueue("envelope-read");
            MessageProducer producer = session.createProducer(queue);
            MessageConsumer consumer = session.createConsumer(queue);
            for (int size : new int[] {0, 1, 1_000, 65_535, 65_536, 65_537, 150_000, 2_500_000}) {
                byte[] body = new byte[size];
                random.nextBytes(body);
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(body);
                m.setStringProperty(HubHeaders.CONNECTOR_ID, "typeform");
                m.setStringProperty(HubHeaders.EVENT_ID, "e" + size);
                producer.send(m);
                InboundEnvelope e = InboundConsumers.envelope(consumer.receive(10_000));
                assertThat(e.body()).as("%d bytes", size).hasSize(size).isEqualTo(body);
                assertThat(e.connector()).isEqualTo("typeform");
                assertThat(e.eventId()).isEqualTo("e" + size);
            }
        }
    }
}
