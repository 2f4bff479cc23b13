package org.touchpointhub.crm.salesforce;

import java.time.Instant;
import java.util.Objects;

/**
 * One touchpoint of a customer, as the hub writes it to Salesforce as a completed Task.
 *
 * @param touchpointId the hub's id of the touchpoint; the Task's external id
 * @param type         what happened, e.g. {@code form_submitted}, {@code payment_succeeded}
 * @param channel      how, e.g. {@code web}, {@code email}, {@code phone}, {@code meeting}; may be null
 * @param occurredAt   when it happened
 * @param summary      a human-readable summary; may be null
 * @param source       the system it came from, e.g. {@code typeform}, {@code stripe}; may be null
 */
public record TaskInput(String touchpointId, String type, String channel, Instant occurredAt, String summary,
                        String source) {

    public TaskInput {
        if (touchpointId == null || touchpointId.isBlank()) {
            throw new IllegalArgumentException("touchpointId must not be blank");
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
