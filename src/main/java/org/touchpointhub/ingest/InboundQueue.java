package org.touchpointhub.ingest;

import jakarta.jms.BytesMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;

/**
 * The door to {@code hub.inbound} that every source shares (the webhook edge, the tracking API and the pull
 * routes' {@code direct:hub-inbound}): one persistent send of an envelope as a JMS BytesMessage with the
 * {@link HubHeaders} properties. A caller may acknowledge its sender only after {@link #send} returned.
 *
 * <p>While the broker is unreachable, sends fail at once through a {@link BrokerGate} instead of each waiting for a
 * connection attempt (see there why), and the outage is logged once when it starts and once when it ends.
 */
@Component
public class InboundQueue {

    // resolved once: resolving the destination by name on every send cost about a third of the edge's throughput
    private final ActiveMQQueue inbound = new ActiveMQQueue(HubHeaders.INBOUND_QUEUE);
    private static final Logger log = LoggerFactory.getLogger(InboundQueue.class);

    private final JmsTemplate jms;
    private final BrokerGate broker;

    InboundQueue(JmsTemplate shared, @Value("${hub.ingest.broker-retry-after:1s}") Duration brokerRetryAfter) {
        // Our own template on the same (caching) connection factory, without the observation registry Spring Boot
        // gives the shared one: with it, every send goes through a reflective proxy of the session and producer and
        // opens a "jms.message.publish" observation, measured by the bench (#7) as a visible share of the edge's CPU,
        // for a metric the hub does not use (hub_events_accepted_total counts what the edge queued).
        this.jms = new JmsTemplate(shared.getConnectionFactory());
        this.broker = new BrokerGate(brokerRetryAfter, System::nanoTime);
        jms.setExplicitQosEnabled(true);
        jms.setDeliveryPersistent(true);
    }

    /**
     * Sends one envelope persistently; returns only once the broker has it.
     *
     * @throws JmsException when the broker cannot take it; nothing was queued
     */
    public void send(InboundEnvelope envelope) {
        if (!broker.tryEnter()) {
            throw new BrokerUnavailable();
        }
        try {
            write(envelope);
        } catch (JmsException e) {
            boolean wasDown = broker.isDown();
            broker.failed();
            if (!wasDown) {
                log.warn("Cannot queue events: {}; answering 503 until the broker is back",
                        String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
            throw e;
        } catch (RuntimeException e) {
            broker.abandon(); // never leave the gate half-open
            throw e;
        }
        if (broker.isDown()) {
            log.info("Broker reachable again: queueing events");
            broker.succeeded();
        }
    }

    /** The broker is known to be unreachable: refused without trying, until the next probe. */
    static final class BrokerUnavailable extends JmsException {
        BrokerUnavailable() {
            super("broker unavailable (refused without trying until the next probe)");
        }
    }

    private void write(InboundEnvelope envelope) {
        jms.send(inbound, session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(envelope.body());
            m.setStringProperty(HubHeaders.CONNECTOR_ID, envelope.connector());
            m.setStringProperty(HubHeaders.EVENT_ID, envelope.eventId());
            if (envelope.eventType() != null) {
                m.setStringProperty(HubHeaders.EVENT_TYPE, envelope.eventType());
            }
            m.setLongProperty(HubHeaders.RECEIVED_AT, envelope.receivedAt().toEpochMilli());
            m.setStringProperty(HubHeaders.CONTENT_TYPE, envelope.contentType());
            m.setStringProperty(HubHeaders.GROUP_ID, envelope.groupKey());
            return m;
        });
    }
}
