package org.touchpointhub.sources;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.HubHeaders;

/** Dead letters of the {@code source} stage: what a pull route could not queue, with its reason and raw payload. */
@Component
class SourceDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(SourceDeadLetters.class);

    private final JdbcTemplate jdbc;

    SourceDeadLetters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the exchange's current body as a dead letter of its route's connector. */
    void record(Exchange exchange, String reason) {
        String connector = exchange.getMessage().getHeader(HubHeaders.CONNECTOR_ID, String.class);
        String eventId = exchange.getMessage().getHeader(HubHeaders.EVENT_ID, String.class);
        byte[] payload = payload(exchange);
        jdbc.update("insert into dead_letters (stage, connector, event_id, reason, content_type, payload) "
                + "values ('source', ?, ?, ?, ?, ?)", connector, eventId,
                (exchange.getFromRouteId() == null ? "" : "route " + exchange.getFromRouteId() + ": ") + reason,
                "application/octet-stream", payload);
        // the reason may quote personal data (a parsed mail): it is stored, not logged
        log.warn("Dead letter of source route {} (connector {}); see GET /admin/dead-letters", exchange.getFromRouteId(), connector);
    }

    private static byte[] payload(Exchange exchange) {
        try {
            byte[] bytes = exchange.getMessage().getBody(byte[].class);
            return bytes == null ? new byte[0] : bytes;
        } catch (RuntimeException e) {
            return String.valueOf(exchange.getMessage().getBody()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
