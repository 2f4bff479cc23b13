package org.touchpointhub.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.touchpointhub.enrich.Addresses;
import org.touchpointhub.enrich.CompanyNames;
import org.touchpointhub.enrich.EmailAddresses;
import org.touchpointhub.enrich.PersonNames;
import org.touchpointhub.enrich.PhoneNumbers;

/**
 * One incoming person, normalized: folded names, e-mail match key, phone (E.164 when valid), date of birth as
 * yyyymmdd, folded street/city, compact postcode and stated company without legal form. Empty strings mean unknown.
 *
 * @param recordId the caller's id for the incoming record (row id, event id)
 * @param firstName folded given name
 * @param lastName folded family name
 * @param email e-mail match key (provider rules applied), never the display value
 * @param phone E.164 phone, or bare digits when the number is not valid in its region
 * @param mobile true when the phone is a valid mobile number, and so personal enough to be an identity key
 * @param dob date of birth as yyyymmdd
 * @param street normalized street line
 * @param postcode normalized postcode
 * @param city folded city
 * @param company company without legal form, as stated (not guessed from the e-mail domain)
 * @param source the touchpoint source that sent the record
 */
public record PersonAttributes(String recordId, String firstName, String lastName, String email, String phone,
        boolean mobile, String dob, String street, String postcode, String city, String company, String source) {

    /** Normalizes raw input columns (id, first_name, last_name, full_name, email, phone, company, street, city, postcode, country, dob, source). */
    public static PersonAttributes fromColumns(Map<String, String> columns, String defaultRegion) {
        String first = PersonNames.fold(columns.get("first_name"));
        String last = PersonNames.fold(columns.get("last_name"));
        String full = PersonNames.fold(columns.get("full_name"));
        if (first.isEmpty() && last.isEmpty() && !full.isEmpty()) {
            int space = full.lastIndexOf(' ');
            first = space < 0 ? "" : full.substring(0, full.indexOf(' '));
            last = space < 0 ? full : full.substring(space + 1);
        }
        String country = columns.getOrDefault("country", "");
        String region = country != null && country.trim().length() == 2 ? country.trim().toUpperCase(Locale.ROOT) : defaultRegion;
        String rawEmail = columns.get("email");
        Optional<String> emailKey = EmailAddresses.matchKey(rawEmail);
        String rawPhone = columns.get("phone");
        // Only a stated company is compared: a company guessed from the e-mail domain would count the domain twice
        // (EMAIL already compares it), which breaks the independence Fellegi-Sunter weights assume.
        String company = CompanyNames.normalize(columns.get("company"));
        return new PersonAttributes(nz(columns.get("id")), first, last, emailKey.orElse(""),
                PhoneNumbers.matchValue(rawPhone, region).orElse(""), PhoneNumbers.isMobile(rawPhone, region),
                normalizeDob(columns.get("dob")), Addresses.normalizeStreet(columns.get("street")),
                Addresses.normalizePostcode(columns.get("postcode")), Addresses.normalizeCity(columns.get("city")),
                company, nz(columns.get("source")));
    }

    /** The person attributes (canonical names) that matching reads; other attributes are not compared. */
    public static final java.util.Set<String> MATCH_ATTRIBUTES = java.util.Set.of("first_name", "last_name", "full_name",
            "email", "phone", "mobile_phone", "company", "street", "city", "postcode", "country", "dob");

    private static final ObjectMapper MATCH_JSON = new ObjectMapper();
    private static final ObjectWriter MATCH_WRITER = MATCH_JSON.writer();
    private static final ObjectReader MATCH_READER = MATCH_JSON.readerFor(new TypeReference<Map<String, String>>() {});

    /**
     * A touchpoint's match record as stored in {@code touchpoints.match}: the attributes matching compares
     * ({@link #MATCH_ATTRIBUTES}) as the source stated them, and {@code source}, as a JSON object; null when the
     * person states none of them (such a touchpoint is not one of its customer's latest records). The resolver reads a
     * candidate's latest records from this column, one row per touchpoint, rather than from observations, one row
     * per attribute.
     */
    public static String matchRecord(Map<String, String> attributes, String source) {
        Map<String, String> match = new TreeMap<>();
        attributes.forEach((attribute, value) -> {
            if (MATCH_ATTRIBUTES.contains(attribute)) {
                match.put(attribute, value);
            }
        });
        if (match.isEmpty()) {
            return null;
        }
        match.put("source", source);
        try {
            return MATCH_WRITER.writeValueAsString(match);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a match record", e);
        }
    }

    /** Normalizes a stored match record ({@link #matchRecord}) for matching, as the record {@code recordId}. */
    public static PersonAttributes fromMatchRecord(String recordId, String match, String defaultRegion) {
        Map<String, String> values;
        try {
            values = MATCH_READER.readValue(match);
        } catch (IOException e) {
            throw new IllegalStateException("the match record of " + recordId + " is not a JSON object of texts", e);
        }
        return fromAttributes(recordId, values, values.getOrDefault("source", ""), defaultRegion);
    }

    /** Normalizes a person's canonical attributes (as observed or as an event states them) for matching. */
    public static PersonAttributes fromAttributes(String recordId, Map<String, String> attributes, String source,
            String defaultRegion) {
        Map<String, String> columns = new java.util.HashMap<>();
        attributes.forEach((k, v) -> {
            if (MATCH_ATTRIBUTES.contains(k)) {
                columns.put(k, v);
            }
        });
        if (columns.get("mobile_phone") != null) {
            columns.put("phone", columns.get("mobile_phone"));
        }
        if (columns.get("first_name") != null || columns.get("last_name") != null) {
            columns.remove("full_name");
        }
        columns.put("id", recordId);
        columns.put("source", source);
        return fromColumns(columns, defaultRegion);
    }

    /** Returns the value of one field ("" when unknown). */
    public String value(Field field) {
        switch (field) {
            case FIRST_NAME: return firstName;
            case LAST_NAME: return lastName;
            case EMAIL: return email;
            case PHONE: return phone;
            case DOB: return dob;
            case STREET: return street;
            case POSTCODE: return postcode;
            case CITY: return city;
            case COMPANY: return company;
            default: throw new IllegalArgumentException(field.name());
        }
    }

    /** Returns all known field values, for building or growing a candidate. */
    public Map<Field, String> values() {
        Map<Field, String> map = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            if (!value(f).isEmpty()) {
                map.put(f, value(f));
            }
        }
        return map;
    }

    /** Returns a date of birth as yyyymmdd from yyyymmdd, yyyy-mm-dd or dd/mm/yyyy input, or the bare digits when unparseable. */
    static String normalizeDob(String raw) {
        if (raw == null || raw.isBlank()) {
            return "";
        }
        String value = raw.trim();
        String[] parts = value.split("[-/. ]");
        if (parts.length == 3) {
            if (parts[0].length() == 4) {
                return parts[0] + pad(parts[1]) + pad(parts[2]);
            }
            if (parts[2].length() == 4) {
                return parts[2] + pad(parts[1]) + pad(parts[0]);
            }
        }
        String digits = value.replaceAll("[^0-9]", "");
        return digits.length() == 8 ? digits : "";
    }

    private static String pad(String s) {
        return s.length() == 1 ? "0" + s : s;
    }

    private static String nz(String s) {
        return s == null ? "" : s.trim();
    }
}
