package org.touchpointhub.crm;

import java.util.List;
import java.util.Set;

/**
 * The CRM objects delivery writes, in the order references need them (Salesforce: Account, then the person, then
 * Task). A customer's record in one tier refers to its records in earlier tiers, so when one of those is refused the
 * later ones are not sent.
 *
 * @param writeOrder object names, parents first
 * @param shared     objects several customers refer to (Account): written once per run and not again while
 *                   unchanged
 * @param activity   the timeline object whose external id is the hub's touchpoint id (Task)
 */
record CrmObjects(List<String> writeOrder, Set<String> shared, String activity) {

    CrmObjects {
        writeOrder = List.copyOf(writeOrder);
        shared = Set.copyOf(shared);
        if (!writeOrder.contains(activity)) {
            throw new IllegalArgumentException("activity object " + activity + " is not in the write order " + writeOrder);
        }
    }

    /** The tier of an object, 0 first. */
    int tier(String object) {
        int tier = writeOrder.indexOf(object);
        if (tier < 0) {
            throw new IllegalStateException("no write order for CRM object " + object + " (known: " + writeOrder + ")");
        }
        return tier;
    }
}
