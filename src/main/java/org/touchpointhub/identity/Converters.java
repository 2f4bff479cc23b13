package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns each shared labelled set into the evaluation input form (id, first_name, ..., source) plus a
 * {@code truth} column. Febrl's soc_sec_id is dropped: a CRM has no national id.
 */
public final class Converters {
    /** Name of the truth column every converter writes. */
    public static final String TRUTH = "truth";

    private Converters() {
    }

    /** Converts a Febrl file (rec-N-org / rec-N-dup-k ids give truth N); the source tags rows for 4a+4b linkage. */
    public static List<Map<String, String>> febrl(List<Map<String, String>> rows, String source) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            String recId = r.get("rec_id");
            Map<String, String> m = new LinkedHashMap<>();
            m.put("id", source + ":" + recId);
            m.put("first_name", r.get("given_name"));
            m.put("last_name", r.get("surname"));
            m.put("street", (r.getOrDefault("street_number", "") + " " + r.getOrDefault("address_1", "")).trim());
            m.put("city", r.get("suburb"));
            m.put("postcode", r.get("postcode"));
            m.put("country", "AU");
            m.put("dob", r.get("date_of_birth"));
            m.put("source", source);
            m.put(TRUTH, recId.split("-")[1]);
            out.add(m);
        }
        return out;
    }

    /** Converts Splink's fake_1000 (truth: cluster). */
    public static List<Map<String, String>> splinkFake1000(List<Map<String, String>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("id", r.get("unique_id"));
            m.put("first_name", r.get("first_name"));
            m.put("last_name", r.get("surname"));
            m.put("dob", r.get("dob"));
            m.put("city", r.get("city"));
            m.put("email", r.get("email"));
            m.put("country", "GB");
            m.put("source", "fake_1000");
            m.put(TRUTH, r.get("cluster"));
            out.add(m);
        }
        return out;
    }

    /** Converts dedupe's csv_example organisations (truth: True Id); the site name is the company. */
    public static List<Map<String, String>> dedupeCsvExample(List<Map<String, String>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("id", r.get("Id"));
            m.put("company", r.get("Site name"));
            m.put("street", r.get("Address"));
            m.put("postcode", r.get("Zip"));
            m.put("phone", r.get("Phone"));
            m.put("email", r.get("Email Address"));
            m.put("city", "");
            m.put("country", "US");
            m.put("source", r.get("Source"));
            m.put(TRUTH, r.get("True Id"));
            out.add(m);
        }
        return out;
    }

    /** Converts dedupe's patstat holders (truth: leuven_id from the reference file); the holder name is the company. */
    public static List<Map<String, String>> dedupePatstat(List<Map<String, String>> input, List<Map<String, String>> reference) {
        Map<String, String> leuven = new HashMap<>();
        for (Map<String, String> r : reference) {
            leuven.put(r.get("person_id"), r.get("leuven_id"));
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : input) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("id", r.get("person_id"));
            m.put("company", r.get("Name"));
            m.put("country", "NL");
            m.put("source", "patstat");
            m.put(TRUTH, leuven.get(r.get("person_id")));
            out.add(m);
        }
        return out;
    }
}
