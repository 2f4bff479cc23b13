package org.touchpointhub.connector;

import java.util.List;
import java.util.Map;
import org.touchpointhub.ingest.SignatureScheme;
import org.touchpointhub.mapping.ValueExpression;

/**
 * One source system as {@code connectors/<id>.yaml} describes it: how the edge verifies it, where its event id
 * is, which field groups one person's events, and how its fields map to the canonical touchpoint.
 *
 * @param id             the connector id, also the path segment of {@code POST /hooks/{id}}
 * @param file           the file it was loaded from, for messages
 * @param kind           {@code webhook} (pushed to /hooks) or {@code source} (put on the queue by a route)
 * @param verify         how the sender proves itself; null only for {@code source} connectors
 * @param maxBodySize    the largest body accepted, in bytes
 * @param priority       survivorship priority of this source's values (higher wins), default 50
 * @param event          where the event id, type and grouping key are
 * @param types          event type to canonical touchpoint type; empty means every event is {@code touchpoint.type}
 * @param touchpoint     the touchpoint's own fields
 * @param person         canonical person attribute to expression
 * @param externalIds    source name to expression for the person's id in that source
 * @param attributes     extra touchpoint attributes (UTM parameters, amounts, durations)
 * @param spam           an expression that, when non-blank, marks the event as spam (a honeypot field)
 * @param missingSecrets environment variables the verify block names that are not set: the edge answers 503
 */
public record ConnectorDefinition(String id, String file, String kind, Verify verify, long maxBodySize, int priority,
        Event event, Map<String, String> types, Touchpoint touchpoint, Map<String, ValueExpression> person,
        Map<String, ValueExpression> externalIds, Map<String, ValueExpression> attributes, ValueExpression spam,
        List<String> missingSecrets) {

    /**
     * The verification block.
     *
     * @param scheme   the scheme name
     * @param verifier the built verifier, or null when a secret is missing
     */
    public record Verify(String scheme, SignatureScheme verifier) {}

    /**
     * Where the edge and the mapper find the event's identity.
     *
     * @param id         JSONPath of the event id in the body, or null
     * @param idHeader   header carrying the event id, or null; without both the id is a hash of the body
     * @param type       JSONPath of the event type, or null
     * @param typeHeader header carrying the event type, or null
     * @param group      expression of the per-person grouping key (message groups keep one person's events in order)
     * @param each       JSONPath of an array whose items are separate touchpoints (SendGrid, Segment batch), or null
     * @param itemId     expression of an item's own id inside {@code each}, or null (the item's index is used)
     */
    public record Event(ValueExpression id, String idHeader, ValueExpression type, String typeHeader,
            ValueExpression group, ValueExpression each, ValueExpression itemId) {}

    /**
     * The touchpoint's own fields.
     *
     * @param type       canonical type expression (a literal such as {@code form_submitted}, or a mapped value)
     * @param channel    channel expression
     * @param occurredAt when it happened; defaults to when the hub received the event
     * @param summary    short line for the CRM timeline
     */
    public record Touchpoint(ValueExpression type, ValueExpression channel, ValueExpression occurredAt,
            ValueExpression summary) {}

    /** True when the edge must refuse this connector's events with 503 because a secret is not configured. */
    public boolean secretMissing() {
        return !missingSecrets.isEmpty();
    }
}
