package org.touchpointhub.sources;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Turns the answer of Calendly's {@code GET /scheduled_events/{uuid}/invitees} into one row per invitee, bean
 * {@code calendlyInvitees}: the invitee's own fields plus its meeting under {@code scheduled_event}, and an
 * {@code event_id} of the invitee's URI and status, so a booking and its later cancellation are two events while a
 * re-read of either is the same one (https://developer.calendly.com/api-docs/eb8ee72701f99-list-event-invitees).
 */
@Component("calendlyInvitees")
public class CalendlyInvitees {

    /** Exchange property holding the scheduled event whose invitees the body lists. */
    public static final String EVENT = "HubCalendlyEvent";

    private final ObjectMapper json;

    CalendlyInvitees(ObjectMapper json) {
        this.json = json;
    }

    /** The invitee rows of the invitee page in the body. */
    public List<Map<String, Object>> rows(Exchange exchange) throws Exception {
        String text = exchange.getMessage().getBody(String.class);
        Map<?, ?> page = json.readValue(text == null || text.isBlank() ? "{}" : text, Map.class);
        Object event = exchange.getProperty(EVENT);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (page.get("collection") instanceof List<?> invitees) {
            for (Object i : invitees) {
                if (i instanceof Map<?, ?> invitee) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    invitee.forEach((k, v) -> row.put(String.valueOf(k), v));
                    row.put("event_id", invitee.get("uri") + "#" + invitee.get("status"));
                    row.put("scheduled_event", event);
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
