package org.touchpointhub.canonical;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a person did that a source system saw: a form filled, a meeting booked, an invoice paid.
 * {@code connector} and {@code key} make it traceable and idempotent.
 *
 * @param connector  the connector id the event came through
 * @param key        unique per connector: the event id, plus {@code #n} for the n-th item of a multi-item event
 * @param type       canonical touchpoint type, e.g. {@code form_submitted}, {@code payment_succeeded}
 * @param channel    where it happened, e.g. {@code web}, {@code email}, {@code billing}, {@code phone}
 * @param occurredAt when the person did it (the event's own time, else when the hub received it)
 * @param summary    a short human-readable line for the CRM timeline, may be empty
 * @param person     what the event says about the person
 * @param attributes extra facts of the touchpoint itself (UTM parameters, amount, duration, …)
 */
public record CanonicalTouchpoint(String connector, String key, String type, String channel, Instant occurredAt,
        String summary, PersonFacts person, Map<String, String> attributes) {

    public CanonicalTouchpoint {
        Objects.requireNonNull(connector, "connector");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank (connector " + connector + ")");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank (connector " + connector + ", key " + key + ")");
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(person, "person");
        channel = channel == null ? "" : channel;
        summary = summary == null ? "" : summary;
        attributes = Map.copyOf(attributes);
    }
}
