/**
 * Pull sources: the Java side of the YAML routes in {@code routes/} (IMAP lead inbox, CDR file drops, HTTP pollers),
 * their shared door {@code direct:hub-inbound}, their error handling {@code hub-source-errors}, and the leader
 * election that runs them on one hub instance at a time. A pulled event becomes the same envelope on the same
 * {@code hub.inbound} queue as a webhook, mapped by a {@code connectors/<id>.yaml} of kind {@code source}.
 */
package org.touchpointhub.sources;
