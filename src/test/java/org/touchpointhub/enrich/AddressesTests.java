package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HostileStrings;

/**
 * Postcodes and house numbers, read without regexes on the per-record path (#7): the same answers as the regex
 * formulation they replace, on realistic, random and hostile inputs.
 */
class AddressesTests {

    @Test // #7
    void postcodesAsTheRegexFormulationGaveThem() {
        assertThat(Addresses.normalizePostcode("sw1a 1aa")).isEqualTo("SW1A1AA");
        assertThat(Addresses.normalizePostcode("94107-1234")).isEqualTo("94107");
        assertThat(Addresses.normalizePostcode("94107-123")).isEqualTo("94107123");
        assertThat(Addresses.normalizePostcode("straße 1")).as("ß upper-cases to SS before filtering").isEqualTo("STRASSE1");
        assertThat(Addresses.normalizePostcode("١٢٣٤٥٦٧٨٩")).as("non-ASCII digits are not kept").isEmpty();
        assertThat(Addresses.normalizePostcode(null)).isEmpty();
        for (String input : inputs()) {
            assertThat(Addresses.normalizePostcode(input)).as("%s", input).isEqualTo(regexPostcode(input));
        }
    }

    @Test // #7
    void houseNumbersAsTheRegexFormulationGaveThem() {
        assertThat(Addresses.houseNumber("27b washington st")).isEqualTo("27");
        assertThat(Addresses.houseNumber("flat 3 12 high st")).isEqualTo("3");
        assertThat(Addresses.houseNumber("high st")).isEmpty();
        assertThat(Addresses.houseNumber("٣ high st")).as("a non-ASCII digit starts no ASCII number").isEmpty();
        for (String input : inputs()) {
            if (input == null) {
                continue;
            }
            String street = Addresses.normalizeStreet(input);
            assertThat(Addresses.houseNumber(street)).as("%s", street).isEqualTo(regexHouseNumber(street));
            if (!input.contains("\n") && !input.contains("\r") && !input.contains("\u0085") && !input.contains("\u2028")
                    && !input.contains("\u2029")) {
                // callers pass normalized streets, which have no line breaks (where the regex's "." stopped)
                assertThat(Addresses.houseNumber(input)).as("%s", input).isEqualTo(regexHouseNumber(input));
            }
        }
    }

    private static String regexPostcode(String postcode) {
        if (postcode == null) {
            return "";
        }
        String value = postcode.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        return value.matches("\\d{9}") ? value.substring(0, 5) : value;
    }

    private static String regexHouseNumber(String normalizedStreet) {
        for (String token : normalizedStreet.split(" ")) {
            if (!token.isEmpty() && Character.isDigit(token.charAt(0))) {
                return token.replaceAll("[^0-9].*$", "");
            }
        }
        return "";
    }

    private static List<String> inputs() {
        List<String> out = new ArrayList<>(Arrays.asList("12345", "123456789", "12345 6789", "1234567890", "A1B 2C3",
                "ec1a-1bb", "  ", "", "00000-0000", "12a", "٣٤٥", "１２３４５", "\u0000123", null));
        Random random = new Random(29);
        String alphabet = "0123456789abcXYZ -./ßü٣１\u200b\n";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(14);
            for (int c = 0; c < n; c++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.add(sb.toString());
        }
        out.addAll(HostileStrings.random(31, 2_000));
        return out;
    }
}
