package org.touchpointhub.enrich;

import java.text.Normalizer.Form;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.regex.Pattern;
import org.touchpointhub.canonical.PersonFacts;

/**
 * Cleans what a source said about a person before it is matched or stored: control characters out, whitespace
 * collapsed, lengths bounded; email lower-cased and checked; phones to E.164 (libphonenumber, with a default region
 * for numbers written without a country code); names split and re-cased when a source shouts or whispers them;
 * countries to ISO 3166 alpha-2. A value that cannot be cleaned is dropped, never stored half-valid: a wrong phone
 * number must not become an identity key.
 */
public final class Normalizer {

    /** Values longer than this are cut: CRM text fields hold 255 characters and identity keys are indexed. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t\\n]]|[\\u200B-\\u200F\\u2028-\\u202E\\uFEFF]");
    // compiled once: String.replaceAll compiles its pattern on every call (this runs for every value of every event)
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\"<>(),;:\\\\\\[\\]]{1,64}@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+$");
    private static final Map<String, String> COUNTRIES = countries();

    private final String defaultRegion;

    /** A normalizer reading phone numbers without a country code in {@code defaultRegion} (e.g. US, GB). */
    public Normalizer(String defaultRegion) {
        this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    }

    /** Cleans a person's facts. */
    public PersonFacts person(PersonFacts raw) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.attributes().forEach((k, v) -> {
            String clean = text(v);
            if (!clean.isEmpty()) {
                out.put(k, clean);
            }
        });
        out.computeIfPresent("email", (k, v) -> email(v));
        out.computeIfPresent("phone", (k, v) -> phone(v));
        out.computeIfPresent("mobile_phone", (k, v) -> phone(v));
        out.computeIfPresent("country", (k, v) -> country(v));
        out.computeIfPresent("email_opt_out", (k, v) -> bool(v));
        out.computeIfPresent("email_invalid", (k, v) -> bool(v));
        out.computeIfPresent("company_domain", (k, v) -> v.toLowerCase(Locale.ROOT));
        String full = out.get("full_name");
        if (full != null && !out.containsKey("first_name") && !out.containsKey("last_name")) {
            String s = full.contains(",") ? full.substring(full.indexOf(',') + 1).strip() + " " + full.substring(0, full.indexOf(',')).strip() : full;
            int space = s.lastIndexOf(' ');
            if (space > 0) {
                out.put("first_name", s.substring(0, space).strip());
                out.put("last_name", s.substring(space + 1).strip());
            } else if (!s.contains("@")) {
                out.put("last_name", s);
            }
        }
        out.computeIfPresent("first_name", (k, v) -> name(v));
        out.computeIfPresent("last_name", (k, v) -> name(v));
        out.computeIfPresent("full_name", (k, v) -> name(v));
        out.values().removeIf(v -> v == null || v.isEmpty());
        Map<String, String> ids = new LinkedHashMap<>();
        raw.externalIds().forEach((k, v) -> {
            String clean = text(v);
            if (!clean.isEmpty()) {
                ids.put(k, clean);
            }
        });
        return new PersonFacts(out, ids);
    }

    /** Strips control and invisible characters, collapses whitespace and bounds the length. */
    public static String text(String v) {
        if (v == null) {
            return "";
        }
        String s = WHITESPACE.matcher(CONTROL.matcher(v).replaceAll("")).replaceAll(" ").strip();
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH).strip() : s;
    }

    /** A lower-cased, syntactically valid address, or null. */
    public static String email(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("mailto:")) {
            s = s.substring(7);
        }
        return EMAIL.matcher(s).matches() ? s : null;
    }

    /** E.164, or null when the number is not a possible number (parsed once per value and region: PhoneNumbers' cache). */
    public String phone(String v) {
        return PhoneNumbers.possibleE164(v, defaultRegion).orElse(null);
    }

    /** ISO 3166 alpha-2 from an alpha-2 or alpha-3 code or an English country name, or null. */
    public static String country(String v) {
        String key = java.text.Normalizer.normalize(v, Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replace(".", "").strip();
        return COUNTRIES.get(key);
    }

    /** Re-cases a name written all in capitals or all in lower case ("JOHN O'NEIL" becomes "John O'Neil"). */
    public static String name(String v) {
        boolean upper = v.equals(v.toUpperCase(Locale.ROOT));
        boolean lower = v.equals(v.toLowerCase(Locale.ROOT));
        if (!upper && !lower) {
            return v;
        }
        StringBuilder out = new StringBuilder(v.length());
        boolean start = true;
        for (char c : v.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append(start ? Character.toTitleCase(c) : c);
            start = c == ' ' || c == '-' || c == '\'' || c == '.';
        }
        return out.toString();
    }

    private static String bool(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return String.valueOf(s.equals("true") || s.equals("yes") || s.equals("1") || s.equals("y") || s.equals("on"));
    }

    private static Map<String, String> countries() {
        Map<String, String> m = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale l = new Locale("", code);
            m.put(code.toLowerCase(Locale.ROOT), code);
            try {
                m.put(l.getISO3Country().toLowerCase(Locale.ROOT), code);
            } catch (MissingResourceException ignored) {
                // a few codes have no alpha-3
            }
            m.put(java.text.Normalizer.normalize(l.getDisplayCountry(Locale.ENGLISH), Form.NFD).replaceAll("\\p{M}", "")
                    .toLowerCase(Locale.ROOT).replace(".", ""), code);
        }
        m.put("uk", "GB");
        m.put("usa", "US");
        m.put("united states of america", "US");
        m.put("england", "GB");
        m.put("great britain", "GB");
        return Map.copyOf(m);
    }
}
