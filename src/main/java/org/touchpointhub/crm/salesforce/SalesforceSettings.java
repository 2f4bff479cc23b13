package org.touchpointhub.crm.salesforce;

import java.util.Map;

/**
 * How the hub writes to Salesforce ({@code hub.crm.salesforce.*}); any null component falls back to its default, so a
 * partly bound Spring configuration is still complete.
 *
 * @param personObject              {@code Contact} (default) or {@code Lead}
 * @param externalIdField           the person's external id field, default {@code Hub_Customer_Id__c}
 * @param accountExternalIdField    the Account's external id field (holds the company domain), default
 *                                  {@code Hub_Account_Id__c}
 * @param touchpointExternalIdField the Task's external id field, default {@code Hub_Touchpoint_Id__c}
 * @param fieldOverrides            canonical attribute name (e.g. {@code title}) to the Salesforce field to write it
 *                                  to instead of the default; a blank value stops writing that attribute
 * @param billingStatusField        default {@code Hub_Billing_Status__c}
 * @param lifetimeRevenueField      default {@code Hub_Lifetime_Revenue__c}
 * @param lastPaymentField          default {@code Hub_Last_Payment__c}
 */
public record SalesforceSettings(
        String personObject,
        String externalIdField,
        String accountExternalIdField,
        String touchpointExternalIdField,
        Map<String, String> fieldOverrides,
        String billingStatusField,
        String lifetimeRevenueField,
        String lastPaymentField) {

    /** Person object for customers who are contacts of an account. */
    public static final String CONTACT = "Contact";
    /** Person object for customers not yet qualified. */
    public static final String LEAD = "Lead";

    public SalesforceSettings {
        personObject = orDefault(personObject, CONTACT);
        if (!CONTACT.equals(personObject) && !LEAD.equals(personObject)) {
            throw new IllegalArgumentException("hub.crm.salesforce.person-object must be Contact or Lead, not " + personObject);
        }
        externalIdField = orDefault(externalIdField, "Hub_Customer_Id__c");
        accountExternalIdField = orDefault(accountExternalIdField, "Hub_Account_Id__c");
        touchpointExternalIdField = orDefault(touchpointExternalIdField, "Hub_Touchpoint_Id__c");
        fieldOverrides = fieldOverrides == null ? Map.of() : Map.copyOf(fieldOverrides);
        billingStatusField = orDefault(billingStatusField, "Hub_Billing_Status__c");
        lifetimeRevenueField = orDefault(lifetimeRevenueField, "Hub_Lifetime_Revenue__c");
        lastPaymentField = orDefault(lastPaymentField, "Hub_Last_Payment__c");
    }

    /** The defaults: Contacts keyed by {@code Hub_Customer_Id__c}, no overrides. */
    public static SalesforceSettings defaults() {
        return new SalesforceSettings(null, null, null, null, null, null, null, null);
    }

    /** These settings with another person object ({@code Contact} or {@code Lead}). */
    public SalesforceSettings withPersonObject(String object) {
        return new SalesforceSettings(object, externalIdField, accountExternalIdField, touchpointExternalIdField,
                fieldOverrides, billingStatusField, lifetimeRevenueField, lastPaymentField);
    }

    /** These settings with other field overrides. */
    public SalesforceSettings withFieldOverrides(Map<String, String> overrides) {
        return new SalesforceSettings(personObject, externalIdField, accountExternalIdField, touchpointExternalIdField,
                overrides, billingStatusField, lifetimeRevenueField, lastPaymentField);
    }

    /** Whether customers are written as Leads rather than Contacts. */
    public boolean leads() {
        return LEAD.equals(personObject);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
