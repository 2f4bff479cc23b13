package org.touchpointhub.canonical;

import java.util.Set;

/** The canonical touchpoint types every connector maps its events to. */
public final class TouchpointTypes {

    /** All canonical types. */
    public static final Set<String> ALL = Set.of(
            "form_submitted", "email_delivered", "email_opened", "email_clicked", "email_bounced",
            "email_complained", "unsubscribed", "subscribed", "meeting_booked", "meeting_canceled", "trial_started",
            "subscription_started", "subscription_changed", "subscription_canceled", "payment_succeeded",
            "payment_failed", "call_inbound", "call_outbound", "call_missed", "sms_received", "page_viewed",
            "identified", "product_event", "email_received", "customer_updated");

    private TouchpointTypes() {
    }
}
