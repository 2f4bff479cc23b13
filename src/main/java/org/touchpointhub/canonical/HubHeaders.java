package org.touchpointhub.canonical;

/**
 * Names of the hub's own message headers (JMS properties on {@code hub.inbound}, Camel headers in routes). One
 * pattern: {@code Hub} + feature. The edge strips inbound headers with these names before anything reads them.
 */
public final class HubHeaders {

    /** The connector id. */
    public static final String CONNECTOR_ID = "HubConnectorId";
    /** The event id (vendor id or body hash). */
    public static final String EVENT_ID = "HubEventId";
    /** The event type, when the edge read it from a header. */
    public static final String EVENT_TYPE = "HubEventType";
    /** Epoch milliseconds when the edge received the event. */
    public static final String RECEIVED_AT = "HubReceivedAt";
    /** Media type of the body. */
    public static final String CONTENT_TYPE = "HubContentType";
    /** The JMS message group: one person's events are processed in order. */
    public static final String GROUP_ID = "JMSXGroupID";
    /** The queue every source puts its events on. */
    public static final String INBOUND_QUEUE = "hub.inbound";

    private HubHeaders() {
    }
}
