package org.touchpointhub.sources;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.HubHeaders;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.ingest.InboundQueue;

/**
 * {@code direct:hub-inbound}, the one door every YAML route ends at: takes {@code HubConnectorId}, an optional
 * {@code HubEventId} (else a hash of the body, so the same record pulled twice is one event), an optional
 * {@code HubEventType} and {@code JMSXGroupID}, and a JSON body (text, bytes, or a map/list serialised here), and
 * sends the envelope persistently to {@code hub.inbound}. It returns only after the broker has it, which is what
 * lets a mailbox mark a message seen or a file drop move a file afterwards.
 */
@Component
class InboundDoor extends RouteBuilder {

    /** The endpoint YAML routes end at. */
    static final String URI = "direct:hub-inbound";

    private final InboundQueue queue;
    private final ObjectMapper json;
    private final Clock clock;

    InboundDoor(InboundQueue queue, ObjectMapper json, Optional<Clock> clock) {
        this.queue = queue;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public void configure() {
        from(URI).routeId("queue-source-event").process(this::send);
    }

    private void send(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        String connector = in.getHeader(HubHeaders.CONNECTOR_ID, String.class);
        if (connector == null || connector.isBlank()) {
            throw new IllegalArgumentException("header " + HubHeaders.CONNECTOR_ID + " is required by " + URI
                    + " (set it in the route, e.g. setHeader: {name: HubConnectorId, constant: cdr})");
        }
        Object body = in.getBody();
        byte[] bytes;
        if (body instanceof byte[] b) {
            bytes = b;
        } else if (body instanceof String s) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else if (body == null) {
            throw new IllegalArgumentException("route sent an empty body to " + URI + " (connector " + connector + ")");
        } else {
            bytes = json.writeValueAsBytes(body);
        }
        String eventId = in.getHeader(HubHeaders.EVENT_ID, String.class);
        if (eventId == null || eventId.isBlank()) {
            eventId = "sha256:" + sha256(bytes);
        }
        queue.send(new InboundEnvelope(connector, eventId, in.getHeader(HubHeaders.EVENT_TYPE, String.class),
                in.getHeader(HubHeaders.GROUP_ID, String.class), clock.instant(), "application/json", bytes));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
