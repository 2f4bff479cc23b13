package org.touchpointhub.crm.preview;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.touchpointhub.crm.CrmRecord;
import org.touchpointhub.crm.CustomerChanges;
import org.touchpointhub.crm.salesforce.SalesforceRecords;
import org.touchpointhub.crm.salesforce.SalesforceSettings;

/**
 * {@code GET /admin/preview}: the CRM writes the hub would make for each changed customer (object, external id,
 * fields), computed from the outbox with the same mapping delivery uses, so an admin can check the mapping before
 * connecting the real CRM. In preview mode (the default) nothing is sent anywhere.
 */
@RestController
class PreviewController {

    private final CustomerChanges changes;
    private final SalesforceRecords records;
    private final String crmKind;

    PreviewController(CustomerChanges changes, @Value("${hub.crm.kind:preview}") String crmKind,
            @Value("${hub.crm.salesforce.person-object:Contact}") String personObject,
            @Value("${hub.crm.salesforce.external-id-field:Hub_Customer_Id__c}") String externalIdField) {
        this.changes = changes;
        this.crmKind = crmKind;
        this.records = new SalesforceRecords(new SalesforceSettings(personObject, externalIdField, null, null, null, null, null, null));
    }

    @GetMapping("/admin/preview")
    Map<String, Object> preview(@RequestParam(name = "limit", defaultValue = "100") int limit) {
        int bounded = Math.max(1, Math.min(limit, 1000));
        List<Map<String, Object>> customers = new ArrayList<>();
        for (long id : changes.pending(bounded)) {
            var change = changes.load(id);
            List<Map<String, Object>> writes = new ArrayList<>();
            for (CrmRecord r : records.forCustomer(String.valueOf(id), change.golden(), change.touchpoints())) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("operation", "upsert");
                w.put("object", r.object());
                w.put("externalIdField", r.externalIdField());
                w.put("externalId", r.externalId());
                w.put("fields", r.fields());
                writes.add(w);
            }
            customers.add(Map.of("customerId", id, "writes", writes));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("crm", crmKind);
        out.put("pendingCustomers", customers.size());
        out.put("customers", customers);
        return out;
    }
}
