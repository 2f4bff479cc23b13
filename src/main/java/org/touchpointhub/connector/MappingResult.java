package org.touchpointhub.connector;

import java.util.List;
import org.touchpointhub.canonical.CanonicalTouchpoint;

/** What the mapping of one event gave. */
public sealed interface MappingResult {

    /** One or more touchpoints to record. */
    record Mapped(List<CanonicalTouchpoint> touchpoints) implements MappingResult {}

    /** An event type the connector does not map: recorded as skipped, not dead-lettered. */
    record Skipped(String reason) implements MappingResult {}

    /** A filled honeypot or similar: recorded as spam, never delivered. */
    record Spam(String reason) implements MappingResult {}

    /** The event cannot be mapped: a dead letter with this reason and the raw payload. */
    record Rejected(String reason) implements MappingResult {}
}
