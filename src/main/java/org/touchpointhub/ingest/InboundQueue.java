package org.touchpointhub.ingest;

import jakarta.jms.BytesMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;

/**
 * The door to {@code hub.inbound} that every source shares (the webhook edge, the tracking API and the pull
 * routes' {@code direct:hub-inbound}): one persistent send of an envelope as a JMS BytesMessage with the
 * {@link HubHeaders} properties. A caller may acknowledge its sender only after {@link #send} returned.
 */
@Component
public class InboundQueue {

    // resolved once: resolving the destination by name on every send cost about a third of the edge's throughput
    private final ActiveMQQueue inbound = new ActiveMQQueue(HubHeaders.INBOUND_QUEUE);
    private final JmsTemplate jms;

    InboundQueue(JmsTemplate jms) {
        this.jms = jms;
        jms.setExplicitQosEnabled(true);
        jms.setDeliveryPersistent(true);
    }

    /**
     * Sends one envelope persistently; returns only once the broker has it.
     *
     * @throws JmsException when the broker cannot take it; nothing was queued
     */
    public void send(InboundEnvelope envelope) {
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
