package org.touchpointhub.crm;

/** What the CRM answered for one record of a batch, in the order the records were sent. */
public sealed interface CrmResult {

    /** The record was created or updated; {@code crmId} is the CRM's own id for it. */
    record Written(String crmId, boolean created) implements CrmResult {}

    /**
     * The CRM refused this record. ({@code transient} is a Java keyword, hence {@code isTransient}.)
     *
     * @param code      the CRM's own error code, e.g. {@code DUPLICATES_DETECTED}
     * @param message   the CRM's message
     * @param isTransient true when sending it again later may succeed (e.g. {@code UNABLE_TO_LOCK_ROW}); false means
     *                  dead-letter it with the CRM's error
     */
    record Refused(String code, String message, boolean isTransient) implements CrmResult {}
}
