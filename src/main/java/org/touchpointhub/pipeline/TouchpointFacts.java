package org.touchpointhub.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.touchpointhub.canonical.PersonFacts;

/**
 * Facts about a person that follow from what they did, whatever the source: an unsubscribe records that they
 * opted out of email; a hard bounce or a spam complaint marks the address as invalid (a dead contact); billing
 * events carry the customer's billing status and last payment.
 */
final class TouchpointFacts {

    private TouchpointFacts() {
    }

    static PersonFacts derive(String type, Map<String, String> touchpointAttributes, PersonFacts person) {
        Map<String, String> out = new LinkedHashMap<>(person.attributes());
        switch (type) {
            case "unsubscribed" -> out.put("email_opt_out", "true");
            case "subscribed" -> out.putIfAbsent("email_opt_out", "false");
            case "email_complained" -> {
                out.put("email_opt_out", "true");
                out.put("email_invalid", "true");
            }
            case "email_bounced" -> {
                if (!"soft".equalsIgnoreCase(touchpointAttributes.get("bounce_type"))) {
                    out.put("email_invalid", "true");
                }
            }
            case "trial_started" -> out.putIfAbsent("billing_status", "trialing");
            case "subscription_canceled" -> out.putIfAbsent("billing_status", "canceled");
            case "payment_failed" -> out.putIfAbsent("billing_status", "past_due");
            default -> {
            }
        }
        return new PersonFacts(out, person.externalIds());
    }
}
