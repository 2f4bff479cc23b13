package org.touchpointhub.crm;

import java.util.Map;
import java.util.Objects;

/**
 * One record the hub writes to the CRM of record: an object type, the external id it is upserted by, and the
 * field values. Fields never hold null or empty values: the hub does not clear what a person typed in the CRM.
 *
 * @param object          the CRM object, e.g. {@code Contact}, {@code Lead}, {@code Account}, {@code Task}
 * @param externalIdField the external id field upserts are keyed by, e.g. {@code Hub_Customer_Id__c}
 * @param externalId      the value of that field
 * @param fields          field values by CRM field name; may hold a nested map for an external-id reference to a
 *                        parent (e.g. {@code Account -> {Hub_Account_Id__c: acme.com}})
 */
public record CrmRecord(String object, String externalIdField, String externalId, Map<String, Object> fields) {

    public CrmRecord {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(externalIdField, "externalIdField");
        if (externalId == null || externalId.isBlank()) {
            throw new IllegalArgumentException("externalId must not be blank (object " + object + ")");
        }
        fields = Map.copyOf(fields);
    }
}
