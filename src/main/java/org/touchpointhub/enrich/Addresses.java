package org.touchpointhub.enrich;

import java.util.Locale;
import java.util.Map;

/**
 * Street lines, cities and postcodes: folding plus the common street-type abbreviations (Street → st,
 * Avenue → ave, ...), so "27 Washington Street" and "27 washington st." compare equal. Hand-written: no
 * address-parsing library (libpostal needs a native model) is available.
 */
public final class Addresses {
    private static final Map<String, String> STREET_WORDS = Map.ofEntries(Map.entry("street", "st"),
            Map.entry("str", "st"), Map.entry("road", "rd"), Map.entry("avenue", "ave"), Map.entry("av", "ave"),
            Map.entry("drive", "dr"), Map.entry("lane", "ln"), Map.entry("court", "ct"), Map.entry("place", "pl"),
            Map.entry("crescent", "cres"), Map.entry("boulevard", "blvd"), Map.entry("highway", "hwy"),
            Map.entry("terrace", "tce"), Map.entry("parade", "pde"), Map.entry("circuit", "cct"),
            Map.entry("close", "cl"), Map.entry("square", "sq"), Map.entry("north", "n"), Map.entry("south", "s"),
            Map.entry("east", "e"), Map.entry("west", "w"), Map.entry("apartment", "apt"), Map.entry("suite", "ste"));

    private Addresses() {
    }

    /** Returns the folded street line with street-type words abbreviated, or "". */
    public static String normalizeStreet(String street) {
        String folded = Text.fold(street);
        if (folded.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String token : folded.split(" ")) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(STREET_WORDS.getOrDefault(token, token));
        }
        return out.toString();
    }

    /** Returns the house number (first run of digits) of a street line, or "". */
    public static String houseNumber(String normalizedStreet) {
        for (String token : normalizedStreet.split(" ")) {
            if (!token.isEmpty() && Character.isDigit(token.charAt(0))) {
                int end = 0; // the leading ASCII digits (what replaceAll("[^0-9].*$", "") left), without a regex
                while (end < token.length() && token.charAt(end) >= '0' && token.charAt(end) <= '9') {
                    end++;
                }
                return token.substring(0, end);
            }
        }
        return "";
    }

    /** Returns the folded city name, or "". */
    public static String normalizeCity(String city) {
        return Text.fold(city);
    }

    /** Returns the postcode upper-cased without spaces or dashes ("sw1a 1aa" gives "SW1A1AA"), or "". */
    public static String normalizePostcode(String postcode) {
        if (postcode == null) {
            return "";
        }
        // upper-cased, then only A-Z and 0-9 kept: the work of two regexes without compiling them on every record (#7)
        String upper = postcode.toUpperCase(Locale.ROOT);
        StringBuilder kept = new StringBuilder(upper.length());
        boolean digits = true;
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c >= '0' && c <= '9') {
                kept.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                kept.append(c);
                digits = false;
            }
        }
        // US ZIP+4: the first five digits identify the delivery area; the +4 is often missing on one side.
        if (digits && kept.length() == 9) {
            kept.setLength(5);
        }
        return kept.toString();
    }
}
