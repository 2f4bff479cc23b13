package org.touchpointhub.crm.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.touchpointhub.crm.CrmRecord;
import org.touchpointhub.enrich.EmailAddresses;

/**
 * Turns a customer's golden record and touchpoints into Salesforce records: an Account per company domain, the person
 * as Contact or Lead, and a completed Task per touchpoint, all upserted by external id and linked by external-id
 * references, never carrying null or empty values.
 */
public final class SalesforceRecords {

    /** What Salesforce gets for a required field the hub knows nothing about (LastName, Lead Company). */
    public static final String NOT_PROVIDED = "[not provided]";

    private final SalesforceSettings settings;

    /** Creates a mapper with the given settings. */
    public SalesforceRecords(SalesforceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * All records for one customer, in the order they must be written (Account, person, Tasks) so each reference
     * resolves; the delivery loop batches them per object type.
     */
    public List<CrmRecord> forCustomer(String customerId, Map<String, Object> golden, List<TaskInput> touchpoints) {
        List<CrmRecord> records = new ArrayList<>();
        account(golden).ifPresent(records::add);
        records.add(person(customerId, golden));
        for (TaskInput touchpoint : touchpoints) {
            records.add(task(customerId, touchpoint));
        }
        return records;
    }

    /**
     * The customer's Account, keyed by company domain ({@code company_domain}, else a corporate e-mail domain), when
     * the customer is written as a Contact and has a domain (Leads carry the company as text until converted).
     */
    public Optional<CrmRecord> account(Map<String, Object> golden) {
        String domain = accountDomain(golden);
        if (settings.leads() || domain == null) {
            return Optional.empty();
        }
        Fields fields = new Fields();
        fields.values.put("Name", firstText(text(golden, "company"), domain));
        // #6: the company's firmographics (CustomerChanges adds them from the companies table); NumberOfEmployees is a
        // number in Salesforce, so a size band (51-200) is not sent there
        fields.put("company_industry", "Industry", text(golden, "company_industry"));
        String employees = text(golden, "company_employees");
        fields.put("company_employees", "NumberOfEmployees",
                employees != null && employees.matches("[0-9]{1,9}") ? Integer.valueOf(employees) : null);
        fields.put("company_country", "BillingCountry", upper(text(golden, "company_country")));
        return Optional.of(new CrmRecord("Account", settings.accountExternalIdField(), domain, fields.values));
    }

    /** The customer as a Contact (referring to its Account) or a Lead, keyed by the customer id. */
    public CrmRecord person(String customerId, Map<String, Object> golden) {
        boolean lead = settings.leads();
        Fields fields = new Fields();
        fields.put("first_name", "FirstName", text(golden, "first_name"));
        fields.put("last_name", "LastName", lastName(golden));
        if (!Boolean.TRUE.equals(bool(golden, "email_invalid"))) {
            // an address known to bounce would fail the whole record with INVALID_EMAIL_ADDRESS or mislead sales
            fields.put("email", "Email", text(golden, "email"));
        }
        fields.put("phone", "Phone", text(golden, "phone"));
        fields.put("mobile_phone", "MobilePhone", text(golden, "mobile_phone"));
        fields.put("title", "Title", text(golden, "title"));
        fields.put("lead_source", "LeadSource", text(golden, "lead_source"));
        fields.put("country", lead ? "Country" : "MailingCountry", upper(text(golden, "country")));
        fields.put("city", lead ? "City" : "MailingCity", text(golden, "city"));
        fields.put("street", lead ? "Street" : "MailingStreet", text(golden, "street"));
        fields.put("postcode", lead ? "PostalCode" : "MailingPostalCode", text(golden, "postcode"));
        fields.put("email_opt_out", "HasOptedOutOfEmail", bool(golden, "email_opt_out"));
        fields.put("billing_status", settings.billingStatusField(), text(golden, "billing_status"));
        fields.put("lifetime_revenue", settings.lifetimeRevenueField(), decimal(golden, "lifetime_revenue"));
        Instant lastPayment = instant(golden, "last_payment_at");
        fields.put("last_payment_at", settings.lastPaymentField(), lastPayment == null ? null : lastPayment.toString());
        if (lead) {
            fields.put("company", "Company", firstText(text(golden, "company"), domain(golden), NOT_PROVIDED));
        } else {
            String domain = accountDomain(golden);
            if (domain != null) {
                fields.values.put("Account", reference("Account", settings.accountExternalIdField(), domain));
            }
        }
        return new CrmRecord(settings.personObject(), settings.externalIdField(), customerId, fields.values);
    }

    /** A completed Task for one touchpoint, keyed by the touchpoint id and linked to the person by external id. */
    public CrmRecord task(String customerId, TaskInput touchpoint) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Subject", subject(touchpoint));
        fields.put("Status", "Completed");
        fields.put("ActivityDate", touchpoint.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        // TaskSubtype is create-only in Salesforce: an upsert that updates an existing Task would fail on it
        fields.put("Type", taskType(touchpoint.channel()));
        fields.put("Description", description(touchpoint));
        // polymorphic WhoId: the nested reference names its type, so Salesforce knows which object to search
        fields.put("Who", reference(settings.personObject(), settings.externalIdField(), customerId));
        return new CrmRecord("Task", settings.touchpointExternalIdField(), touchpoint.touchpointId(), fields);
    }

    private static Map<String, Object> reference(String object, String externalIdField, String value) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("attributes", Map.of("type", object));
        reference.put(externalIdField, value);
        return java.util.Collections.unmodifiableMap(reference);
    }

    private static String subject(TaskInput touchpoint) {
        String type = blankToNull(touchpoint.type());
        String label = type == null ? "Touchpoint" : humanize(type);
        String source = blankToNull(touchpoint.source());
        String subject = source == null ? label : label + " (" + source + ")";
        // Task.Subject holds at most 255 characters
        return subject.length() > 255 ? subject.substring(0, 255) : subject;
    }

    private static String description(TaskInput touchpoint) {
        StringBuilder text = new StringBuilder();
        String summary = blankToNull(touchpoint.summary());
        if (summary != null) {
            text.append(summary).append("\n\n");
        }
        text.append("Occurred at ").append(touchpoint.occurredAt());
        String channel = blankToNull(touchpoint.channel());
        if (channel != null) {
            text.append(" via ").append(channel);
        }
        String source = blankToNull(touchpoint.source());
        if (source != null) {
            text.append(", reported by ").append(source);
        }
        text.append(". Touchpoint ").append(touchpoint.touchpointId()).append('.');
        return text.toString();
    }

    private static String taskType(String channel) {
        String value = channel == null ? "" : channel.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "email":
                return "Email";
            case "phone":
            case "call":
                return "Call";
            case "meeting":
                return "Meeting";
            default:
                return "Other";
        }
    }

    private static String humanize(String type) {
        String words = type.trim().replace('_', ' ').replace('-', ' ').replace('.', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String lastName(Map<String, Object> golden) {
        String email = text(golden, "email");
        String localPart = null;
        if (email != null && email.indexOf('@') > 0) {
            localPart = email.substring(0, email.indexOf('@'));
        }
        return firstText(text(golden, "last_name"), text(golden, "full_name"), localPart, NOT_PROVIDED);
    }

    /**
     * The company's domain: {@code company_domain} when a source gave it, else the domain of a corporate e-mail
     * address (not free or disposable mail), so a form that only asks for a work e-mail still links to an Account.
     */
    private static String accountDomain(Map<String, Object> golden) {
        String domain = text(golden, "company_domain");
        if (domain == null) {
            String email = text(golden, "email");
            String emailDomain = email == null ? null : EmailAddresses.domain(email).orElse(null);
            if (emailDomain != null && EmailAddresses.companyFromDomain(emailDomain).isPresent()) {
                domain = emailDomain;
            }
        }
        return domain == null ? null : domain.toLowerCase(Locale.ROOT);
    }

    private static String domain(Map<String, Object> golden) {
        String domain = text(golden, "company_domain");
        return domain == null ? null : domain.toLowerCase(Locale.ROOT);
    }

    private static String firstText(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    private static String text(Map<String, Object> golden, String attribute) {
        Object value = golden.get(attribute);
        return value == null ? null : blankToNull(value.toString());
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static Boolean bool(Map<String, Object> golden, String attribute) {
        Object value = golden.get(attribute);
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        String text = value == null ? null : blankToNull(value.toString());
        return text == null ? null : Boolean.valueOf(text);
    }

    private static BigDecimal decimal(Map<String, Object> golden, String attribute) {
        Object value = golden.get(attribute);
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        String text = value == null ? null : blankToNull(value.toString());
        return text == null ? null : new BigDecimal(text);
    }

    private static Instant instant(Map<String, Object> golden, String attribute) {
        Object value = golden.get(attribute);
        if (value instanceof Instant) {
            return (Instant) value;
        }
        String text = value == null ? null : blankToNull(value.toString());
        return text == null ? null : Instant.parse(text);
    }

    /** Field values under their (possibly overridden) Salesforce names, dropping nulls and blanks. */
    private final class Fields {
        private final Map<String, Object> values = new LinkedHashMap<>();

        void put(String attribute, String defaultField, Object value) {
            String field = settings.fieldOverrides().getOrDefault(attribute, defaultField);
            if (field == null || field.isBlank() || value == null) {
                return;
            }
            if (value instanceof String && ((String) value).isBlank()) {
                return;
            }
            values.put(field.trim(), value);
        }
    }
}
