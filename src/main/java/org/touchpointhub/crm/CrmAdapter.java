package org.touchpointhub.crm;

import java.util.ArrayList;
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
     * How many one-object batches {@link #upsertAll} sends in one API call (Salesforce Composite: 5 sObject
     * Collections subrequests); 1, the default, means one call per batch. May drop to 1 while the process runs (a
     * CRM found not to support the combined call).
     */
    default int maxBatchesPerCall() {
        return 1;
    }

    /**
     * Upserts several batches, each of one object type and at most {@link #maxBatchSize()} records, in the order given
     * (parents first), and returns one result list per batch, each in the order of its records. Given at most
     * {@link #maxBatchesPerCall()} batches this is one API call; the default sends one {@link #upsert} per batch.
     *
     * @throws CrmUnavailable when a call failed as a whole for a reason that passes; nothing of the results is known
     */
    default List<List<CrmResult>> upsertAll(List<List<CrmRecord>> batches) {
        List<List<CrmResult>> results = new ArrayList<>(batches.size());
        for (List<CrmRecord> batch : batches) {
            results.add(upsert(batch));
        }
        return results;
    }

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
