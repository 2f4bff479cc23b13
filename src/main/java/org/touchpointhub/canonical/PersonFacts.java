package org.touchpointhub.canonical;

import java.util.Map;
import java.util.Set;

/**
 * What one event says about a person: canonical attributes (see {@link #ATTRIBUTES}) and the ids source systems
 * know the person by.
 *
 * @param attributes  canonical attribute name to value; never blank values
 * @param externalIds source system name to that system's id for the person
 */
public record PersonFacts(Map<String, String> attributes, Map<String, String> externalIds) {

    /** The closed set of canonical person attributes a connector may map. */
    public static final Set<String> ATTRIBUTES = Set.of(
            "email", "phone", "mobile_phone", "first_name", "last_name", "full_name", "title",
            "company", "company_domain", "website", "street", "city", "postcode", "state", "country", "dob",
            "lead_source", "email_opt_out", "email_invalid", "billing_status", "last_payment_at",
            "anonymous_id");

    public PersonFacts {
        attributes = Map.copyOf(attributes);
        externalIds = Map.copyOf(externalIds);
    }

    /** The value of an attribute, or {@code null}. */
    public String get(String attribute) {
        return attributes.get(attribute);
    }
}
