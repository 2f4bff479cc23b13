package org.touchpointhub.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.touchpointhub.crm.CrmRecord;

class SalesforceRecordsTests {

    private static final Instant AT = Instant.parse("2025-03-04T22:30:00Z");

    private static Map<String, Object> fullGolden() {
        Map<String, Object> golden = new HashMap<>();
        golden.put("email", "ada@acme.com");
        golden.put("phone", "+4930123456");
        golden.put("mobile_phone", "+491701234567");
        golden.put("first_name", "Ada");
        golden.put("last_name", "Lovelace");
        golden.put("full_name", "Ada Lovelace");
        golden.put("title", "CTO");
        golden.put("company", "Acme GmbH");
        golden.put("company_domain", "ACME.com");
        golden.put("country", "de");
        golden.put("city", "Berlin");
        golden.put("street", "Unter den Linden 1");
        golden.put("postcode", "10117");
        golden.put("lead_source", "Web");
        golden.put("email_opt_out", Boolean.FALSE);
        golden.put("email_invalid", Boolean.FALSE);
        golden.put("billing_status", "active");
        golden.put("lifetime_revenue", new BigDecimal("1234.50"));
        golden.put("last_payment_at", AT);
        return golden;
    }

    @Test // #4
    void contactCarriesAllFieldsAndAnAccountReferenceByExternalId() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());

        // when
        CrmRecord contact = records.person("cust-1", fullGolden());

        // then
        assertThat(contact.object()).isEqualTo("Contact");
        assertThat(contact.externalIdField()).isEqualTo("Hub_Customer_Id__c");
        assertThat(contact.externalId()).isEqualTo("cust-1");
        assertThat(contact.fields()).contains(
                entry("FirstName", "Ada"), entry("LastName", "Lovelace"), entry("Email", "ada@acme.com"),
                entry("Phone", "+4930123456"), entry("MobilePhone", "+491701234567"), entry("Title", "CTO"),
                entry("LeadSource", "Web"), entry("MailingCountry", "DE"), entry("MailingCity", "Berlin"),
                entry("MailingStreet", "Unter den Linden 1"), entry("MailingPostalCode", "10117"),
                entry("HasOptedOutOfEmail", false), entry("Hub_Billing_Status__c", "active"),
                entry("Hub_Lifetime_Revenue__c", new BigDecimal("1234.50")),
                entry("Hub_Last_Payment__c", "2025-03-04T22:30:00Z"),
                entry("Account", Map.of("attributes", Map.of("type", "Account"), "Hub_Account_Id__c", "acme.com")));
        assertThat(contact.fields()).doesNotContainKey("Company");
    }

    @Test // #4
    void accountIsKeyedByDomainAndNamedByCompanyOrDomain() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());
        Map<String, Object> noCompany = new HashMap<>(Map.of("company_domain", "initech.io", "company", " "));

        // when
        CrmRecord named = records.account(fullGolden()).orElseThrow();
        CrmRecord byDomain = records.account(noCompany).orElseThrow();

        // then
        assertThat(named.object()).isEqualTo("Account");
        assertThat(named.externalIdField()).isEqualTo("Hub_Account_Id__c");
        assertThat(named.externalId()).isEqualTo("acme.com");
        assertThat(named.fields()).containsExactly(entry("Name", "Acme GmbH"));
        assertThat(byDomain.fields()).containsExactly(entry("Name", "initech.io"));
        assertThat(records.account(Map.of("company", "No Domain Ltd"))).isEmpty();
    }

    @Test // #4
    void lastNameFallsBackToFullNameThenEmailLocalPartThenPlaceholder() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());

        // when
        Object fromFullName = records.person("c1", Map.of("full_name", "Grace Hopper")).fields().get("LastName");
        Object fromEmail = records.person("c2", Map.of("email", "grace@navy.mil")).fields().get("LastName");
        Object placeholder = records.person("c3", Map.of("phone", "+15550100")).fields().get("LastName");

        // then
        assertThat(fromFullName).isEqualTo("Grace Hopper");
        assertThat(fromEmail).isEqualTo("grace");
        assertThat(placeholder).isEqualTo(SalesforceRecords.NOT_PROVIDED).isEqualTo("[not provided]");
    }

    @Test // #4
    void leadGetsCompanyFromCompanyThenDomainThenPlaceholderAndNoAccount() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults().withPersonObject("Lead"));

        // when
        CrmRecord lead = records.person("cust-1", fullGolden());
        Object fromDomain = records.person("c2", Map.of("company_domain", "initech.io")).fields().get("Company");
        Object placeholder = records.person("c3", Map.of("email", "x@y.z")).fields().get("Company");

        // then
        assertThat(lead.object()).isEqualTo("Lead");
        assertThat(lead.fields()).contains(entry("Company", "Acme GmbH"), entry("Country", "DE"),
                entry("City", "Berlin"), entry("PostalCode", "10117"), entry("LastName", "Lovelace"));
        assertThat(lead.fields()).doesNotContainKeys("Account", "MailingCountry", "MailingCity");
        assertThat(fromDomain).isEqualTo("initech.io");
        assertThat(placeholder).isEqualTo("[not provided]");
        assertThat(records.account(fullGolden())).isEmpty();
    }

    @Test // #4
    void nullAndBlankValuesAreNeverEmitted() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());
        Map<String, Object> sparse = new HashMap<>();
        sparse.put("email", "  ");
        sparse.put("first_name", null);
        sparse.put("last_name", "Doe");
        sparse.put("title", "");
        sparse.put("email_opt_out", null);
        sparse.put("lifetime_revenue", null);

        // when
        CrmRecord contact = records.person("cust-9", sparse);

        // then
        assertThat(contact.fields()).containsOnlyKeys("LastName");
        assertThat(contact.fields().values()).allSatisfy(v -> assertThat(v).isNotNull().asString().isNotBlank());
    }

    @Test // #4
    void invalidEmailIsNotSentAndOverridesRenameOrDropFields() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults()
                .withFieldOverrides(Map.of("title", "Job_Title__c", "phone", "", "country", "MailingCountryCode")));
        Map<String, Object> golden = fullGolden();
        golden.put("email_invalid", Boolean.TRUE);

        // when
        CrmRecord contact = records.person("cust-1", golden);

        // then
        assertThat(contact.fields()).doesNotContainKeys("Email", "Title", "Phone", "MailingCountry");
        assertThat(contact.fields()).contains(entry("Job_Title__c", "CTO"), entry("MailingCountryCode", "DE"));
    }

    @Test // #4
    void touchpointBecomesCompletedTaskReferringToPersonByExternalId() {
        // given
        SalesforceRecords contacts = new SalesforceRecords(SalesforceSettings.defaults());
        SalesforceRecords leads = new SalesforceRecords(SalesforceSettings.defaults().withPersonObject("Lead"));
        TaskInput form = new TaskInput("tp-1", "form_submitted", "web", AT, "Asked for a demo", "typeform");
        TaskInput bare = new TaskInput("tp-2", null, " ", AT, null, null);

        // when
        CrmRecord task = contacts.task("cust-1", form);
        CrmRecord leadTask = leads.task("cust-1", bare);

        // then
        assertThat(task.object()).isEqualTo("Task");
        assertThat(task.externalIdField()).isEqualTo("Hub_Touchpoint_Id__c");
        assertThat(task.externalId()).isEqualTo("tp-1");
        assertThat(task.fields()).contains(entry("Subject", "Form submitted (typeform)"), entry("Status", "Completed"),
                entry("ActivityDate", "2025-03-04"), entry("Type", "Other"),
                entry("Who", Map.of("attributes", Map.of("type", "Contact"), "Hub_Customer_Id__c", "cust-1")));
        assertThat((String) task.fields().get("Description")).startsWith("Asked for a demo").contains("typeform", "web");
        assertThat(task.fields()).doesNotContainKey("TaskSubtype");
        assertThat(leadTask.fields()).contains(entry("Subject", "Touchpoint"),
                entry("Who", Map.of("attributes", Map.of("type", "Lead"), "Hub_Customer_Id__c", "cust-1")));
        assertThat(contacts.task("c", new TaskInput("tp-3", "call_logged", "phone", AT, null, "aircall")).fields())
                .contains(entry("Type", "Call"), entry("Subject", "Call logged (aircall)"));
    }

    @Test // #4
    void forCustomerOrdersAccountPersonThenTasks() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());

        // when
        List<CrmRecord> all = records.forCustomer("cust-1", fullGolden(),
                List.of(new TaskInput("tp-1", "form_submitted", "web", AT, null, "typeform")));

        // then
        assertThat(all).extracting(CrmRecord::object).containsExactly("Account", "Contact", "Task");
    }

    @Test // #4
    void accountDomainComesFromACorporateEmailWhenNoSourceGaveOne() {
        // given
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());

        // when
        var corporate = records.account(Map.of("email", "ada@Acme-Corp.co.uk"));
        var freeMail = records.account(Map.of("email", "ada@gmail.com"));
        CrmRecord contact = records.person("c1", Map.of("email", "ada@acme-corp.co.uk"));

        // then
        assertThat(corporate).hasValueSatisfying(account -> {
            assertThat(account.externalId()).isEqualTo("acme-corp.co.uk");
            assertThat(account.fields()).containsEntry("Name", "acme-corp.co.uk");
        });
        assertThat(freeMail).isEmpty();
        assertThat(contact.fields()).containsEntry("Account",
                Map.of("attributes", Map.of("type", "Account"), "Hub_Account_Id__c", "acme-corp.co.uk"));
    }

    @Test // #6
    void accountCarriesTheCompanysFirmographicsAndNoSizeBandAsANumber() {
        SalesforceRecords records = new SalesforceRecords(SalesforceSettings.defaults());
        Map<String, Object> golden = new HashMap<>(fullGolden());
        golden.put("company_industry", "Manufacturing");
        golden.put("company_employees", "250");
        golden.put("company_country", "de");
        Map<String, Object> banded = new HashMap<>(golden);
        banded.put("company_employees", "51-200");

        CrmRecord account = records.account(golden).orElseThrow();
        CrmRecord bandedAccount = records.account(banded).orElseThrow();
        CrmRecord plain = records.account(fullGolden()).orElseThrow();

        assertThat(account.fields()).containsEntry("Industry", "Manufacturing").containsEntry("NumberOfEmployees", 250)
                .containsEntry("BillingCountry", "DE");
        assertThat(bandedAccount.fields()).containsEntry("Industry", "Manufacturing").doesNotContainKey("NumberOfEmployees");
        assertThat(plain.fields()).containsOnlyKeys("Name");
    }
}
