package org.touchpointhub.crm;

import java.util.List;

/**
 * The CRM of record, as the delivery loop sees it: batched upserts by external id. Implementations are thread-safe.
 */
public interface CrmAdapter {

    /** The largest number of records one {@link #upsert} call takes (Salesforce collections: 200). */
    int maxBatchSize();

    /**
     * Upserts records of one object type by their external id in one API call, and returns one result per record in
     * the order given.
     *
     * @throws CrmUnavailable when the whole call failed for a reason that passes (limits, outages, login)
     */
    List<CrmResult> upsert(List<CrmRecord> records);

    /**
     * Checks the connection now (e.g. logs in), so a wrong configuration shows at start-up; the default does nothing.
     *
     * @throws CrmUnavailable when the CRM cannot be reached or refuses the login
     */
    default void connect() {
    }

    /** The share of the daily API allocation used so far, 0..1, or -1 when not yet known. */
    double apiUsage();
}
