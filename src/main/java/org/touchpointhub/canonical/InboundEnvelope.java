package org.touchpointhub.canonical;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as it travels on {@code hub.inbound}, from the edge (or a pull route) to the core: the raw body and
 * what the edge learned about it.
 *
 * @param connector   the connector id
 * @param eventId     the vendor's event id, or a hash of the body where the vendor gives none
 * @param eventType   the event type when the edge read it from a header, else null (the mapper reads the body)
 * @param groupKey    the per-person grouping key (JMSXGroupID)
 * @param receivedAt  when the edge received it
 * @param contentType the media type of {@code body}: JSON or form-encoded
 * @param body        the raw body bytes (multipart fields arrive as a JSON object)
 */
public record InboundEnvelope(String connector, String eventId, String eventType, String groupKey, Instant receivedAt,
        String contentType, byte[] body) {

    public InboundEnvelope {
        Objects.requireNonNull(connector, "connector");
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("eventId must not be blank (connector " + connector + ")");
        }
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(body, "body");
        contentType = contentType == null ? "application/json" : contentType;
        groupKey = groupKey == null || groupKey.isBlank() ? connector + ":" + eventId : groupKey;
    }

    /** True when the body is {@code application/x-www-form-urlencoded}. */
    public boolean isForm() {
        return contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }
}
