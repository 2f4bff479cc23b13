package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InternetDomainName;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HostileStrings;

/**
 * The caches of the normalizers change no result: each cached function is compared, on many seeded varied and hostile
 * inputs (twice, so the second answer comes from the cache), with the implementation it had before the cache (copied
 * here as the oracle); and each cache stays within its bound.
 */
class EnrichCachesTests {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final List<String> REGIONS = Arrays.asList("US", "GB", "DE", "FR", "NL", "AU", "IN", "BR", "JP",
            "ZZ", "XX", "", null, "us", "gb", "001", "GBR");

    // --- oracles: the implementations before the caches, verbatim ---

    private static Optional<PhoneNumber> oracleParseValid(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(raw, region);
            return UTIL.isValidNumber(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> oracleE164(String raw, String region) {
        return oracleParseValid(raw, region).map(n -> UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    private static Optional<String> oracleMatchValue(String raw, String region) {
        Optional<String> e164 = oracleE164(raw, region);
        if (e164.isPresent()) {
            return e164;
        }
        String digits = raw == null ? "" : raw.replaceAll("[^0-9]", "");
        return digits.length() >= 6 ? Optional.of(digits) : Optional.empty();
    }

    private static boolean oracleIsMobile(String raw, String region) {
        return oracleParseValid(raw, region).map(n -> {
            PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(n);
            return type == PhoneNumberUtil.PhoneNumberType.MOBILE
                    || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }).orElse(false);
    }

    private static String oracleNormalizerPhone(String v, String region) {
        try {
            var number = UTIL.parse(v, region);
            return UTIL.isPossibleNumber(number) ? UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static final Pattern ORACLE_CONTROL =
            Pattern.compile("[\\p{Cntrl}&&[^\\t\\n]]|[\\u200B-\\u200F\\u2028-\\u202E\\uFEFF]");

    private static String oracleText(String v) {
        if (v == null) {
            return "";
        }
        String s = ORACLE_CONTROL.matcher(v).replaceAll("").replaceAll("\\s+", " ").strip();
        return s.length() > Normalizer.MAX_LENGTH ? s.substring(0, Normalizer.MAX_LENGTH).strip() : s;
    }

    // --- inputs ---

    /** Realistic phone numbers in many shapes and regions, plus hostile strings. */
    private static List<String> phoneInputs() {
        Random random = new Random(7);
        List<String> out = new ArrayList<>(Arrays.asList("+1 415 555 2671", "(415) 555-2671", "415.555.2671",
                "+44 20 7946 0958", "020 7946 0958", "07700 900123", "+447700900123", "+49 30 901820", "030 901820",
                "+49 1512 3456789", "+33 1 23 45 67 89", "06 12 34 56 78", "+31 20 123 4567", "+61 2 9876 5432",
                "+91 98765 43210", "+81 3-1234-5678", "tel:+1-415-555-2671", "+1 415 555 2671 ext. 12", "555",
                "12345", "123456", "+", "++44", "+0 000", "  +1 (415) 555-2671  ", "\u0000+14155552671",
                "+1\u200b415\u200b555\u200b2671", "١٢٣٤٥٦٧٨٩٠", "+1 ４１５ ５５５ ２６７１", null));
        for (int i = 0; i < 3_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "+" : "");
            int digits = 3 + random.nextInt(14);
            for (int d = 0; d < digits; d++) {
                sb.append((char) ('0' + random.nextInt(10)));
                if (random.nextInt(5) == 0) {
                    sb.append(" -.()/x".charAt(random.nextInt(7)));
                }
            }
            out.add(sb.toString());
        }
        out.addAll(HostileStrings.random(11, 2_000));
        return out;
    }

    private static List<String> hostInputs() {
        List<String> out = new ArrayList<>(Arrays.asList("mail.acme.co.uk", "eu.sales.acme.com", "acme.com.au",
                "alice.github.io", " https://WWW.Acme.COM/about?x=1 ", "acme.com.", "jane@Acme.com", "bücher.de",
                "co.uk", "localhost", "127.0.0.1", "acme..com", "a b.com", "x".repeat(300) + ".com", "ACME.COM",
                "http://user:pw@acme.com:8080/x", "www.", "www.co.uk", "xn--bcher-kva.de", "münchen.de", "例え.jp",
                "acme.test", "acme.invalid", "-acme.com", "acme-.com", "a.b.c.d.e.f.example.org", null));
        Random random = new Random(13);
        String[] labels = {"acme", "mail", "eu", "www", "co", "com", "uk", "de", "github", "io", "blogspot", "xn--p1ai",
                "müller", "a", "1", "-x", "x-", "sales"};
        for (int i = 0; i < 2_000; i++) {
            int n = 1 + random.nextInt(5);
            StringBuilder sb = new StringBuilder();
            for (int l = 0; l < n; l++) {
                if (l > 0) {
                    sb.append('.');
                }
                sb.append(labels[random.nextInt(labels.length)]);
            }
            out.add(sb.toString());
        }
        out.addAll(HostileStrings.random(17, 2_000));
        return out;
    }

    private static List<String> nameInputs() {
        List<String> out = new ArrayList<>(Arrays.asList("Acme Inc.", "ACME Limited", "The Company", "Müller GmbH & Co. KG",
                "N.V. Philips", "Acme B.V.", "  acme  ", "José-María", "O'Brien", "ﬁrst", "Straße", "Øster", "李小龙",
                "already folded", null));
        out.addAll(HostileStrings.random(19, 5_000));
        return out;
    }

    // --- equality with the oracles ---

    @Test // #7
    void phoneNumbers_cachedAnswersEqualTheUncachedParseInEveryRegion() {
        List<String> inputs = phoneInputs();
        for (int round = 0; round < 2; round++) {
            for (String raw : inputs) {
                for (String region : REGIONS) {
                    assertThat(PhoneNumbers.e164(raw, region)).as("e164 %s in %s", raw, region)
                            .isEqualTo(oracleE164(raw, region));
                    assertThat(PhoneNumbers.matchValue(raw, region)).as("matchValue %s in %s", raw, region)
                            .isEqualTo(oracleMatchValue(raw, region));
                    assertThat(PhoneNumbers.isMobile(raw, region)).as("isMobile %s in %s", raw, region)
                            .isEqualTo(oracleIsMobile(raw, region));
                    assertThat(PhoneNumbers.possibleE164(raw, region).orElse(null)).as("possible %s in %s", raw, region)
                            .isEqualTo(oracleNormalizerPhone(raw, region));
                }
            }
        }
    }

    @Test // #7
    void phoneNumbers_aNumberIsReadInItsOwnRegionWhateverWasCachedForAnother() {
        // the same national number is valid in GB and not in US: the two regions never share an entry
        assertThat(PhoneNumbers.e164("020 7946 0958", "GB")).contains("+442079460958");
        assertThat(PhoneNumbers.e164("020 7946 0958", "US")).isEmpty();
        assertThat(PhoneNumbers.e164("020 7946 0958", "GB")).contains("+442079460958");
        assertThat(PhoneNumbers.matchValue("020 7946 0958", "US")).contains("02079460958");
        assertThat(PhoneNumbers.isMobile("07911 123456", "GB")).isEqualTo(oracleIsMobile("07911 123456", "GB"));
        assertThat(PhoneNumbers.isMobile("07911 123456", "DE")).isEqualTo(oracleIsMobile("07911 123456", "DE"));
        assertThat(PhoneNumbers.isMobile("+1 415 555 2671", "US")).isEqualTo(oracleIsMobile("+1 415 555 2671", "US"));
    }

    @Test // #7
    void normalizerPhone_equalsTheFormerUncachedParse() {
        for (String region : List.of("US", "GB", "DE")) {
            Normalizer normalizer = new Normalizer(region);
            for (String raw : phoneInputs()) {
                assertThat(normalizer.phone(raw)).as("%s in %s", raw, region).isEqualTo(oracleNormalizerPhone(raw, region));
            }
        }
    }

    @Test // #7
    void phoneNumbers_digitsEqualTheRegexReplacement() {
        for (String raw : HostileStrings.random(23, 5_000)) {
            assertThat(PhoneNumbers.digits(raw)).isEqualTo(raw.replaceAll("[^0-9]", ""));
        }
    }

    @Test // #7
    void domains_cachedAnswersEqualTheUncachedComputation() {
        for (int round = 0; round < 2; round++) {
            for (String raw : hostInputs()) {
                Optional<String> host = Optional.ofNullable(Domains.compute(raw).host());
                assertThat(Domains.host(raw)).as("host %s", raw).isEqualTo(host);
                assertThat(Domains.registrable(raw)).as("registrable %s", raw)
                        .isEqualTo(host.map(h -> InternetDomainName.from(h).topPrivateDomain().toString()));
                assertThat(Domains.publicSuffix(raw)).as("publicSuffix %s", raw)
                        .isEqualTo(host.map(h -> InternetDomainName.from(h).publicSuffix().toString()));
            }
        }
    }

    @Test // #7
    void companyNames_cachedAnswersEqualTheUncachedNormalization() {
        for (int round = 0; round < 2; round++) {
            for (String name : nameInputs()) {
                assertThat(CompanyNames.normalize(name)).as("normalize %s", name).isEqualTo(CompanyNames.compute(name));
            }
        }
        assertThat(CompanyNames.normalize("ACME Limited")).isEqualTo("acme");
        assertThat(CompanyNames.normalize("N.V. Philips")).isEqualTo("philips");
    }

    @Test // #7
    void text_cachedFoldEqualsTheUnicodeFold() {
        for (int round = 0; round < 2; round++) {
            for (String value : nameInputs()) {
                String expected = value == null ? "" : Text.isFolded(value) ? value : Text.foldUnicode(value);
                assertThat(Text.fold(value)).as("fold %s", value).isEqualTo(expected);
            }
        }
    }

    @Test // #7
    void normalizerText_equalsTheFormerRegexChain() {
        for (String value : HostileStrings.random(29, 5_000)) {
            assertThat(Normalizer.text(value)).isEqualTo(oracleText(value));
        }
        assertThat(Normalizer.text(null)).isEqualTo(oracleText(null));
    }

    @Test // #7
    void emailWhitespace_equalsTheCharStream() {
        for (String value : HostileStrings.random(31, 5_000)) {
            assertThat(EmailAddresses.hasWhitespace(value)).as(value)
                    .isEqualTo(value.chars().anyMatch(Character::isWhitespace));
        }
    }

    // --- bounds ---

    @Test // #7
    void caches_stayWithinTheirBounds() {
        for (int i = 0; i < PhoneNumbers.CACHE_SIZE + 5_000; i++) {
            PhoneNumbers.isMobile("+1 415 " + (1_000_000 + i), "US");
        }
        assertThat(PhoneNumbers.cachedEntries()).isBetween(1L, (long) PhoneNumbers.CACHE_SIZE);
        for (int i = 0; i < Domains.CACHE_SIZE + 5_000; i++) {
            Domains.host("acme" + i + ".com");
        }
        assertThat(Domains.cachedEntries()).isBetween(1L, (long) Domains.CACHE_SIZE);
        for (int i = 0; i < CompanyNames.CACHE_SIZE + 5_000; i++) {
            CompanyNames.normalize("Acme " + i + " Inc");
        }
        assertThat(CompanyNames.cachedEntries()).isBetween(1L, (long) CompanyNames.CACHE_SIZE);
        for (int i = 0; i < Text.CACHE_SIZE + 5_000; i++) {
            Text.fold("Ann " + i);
        }
        assertThat(Text.cachedEntries()).isBetween(1L, (long) Text.CACHE_SIZE);
    }

    @Test // #7
    void caches_neverHoldLongValues() {
        String longPhone = "+1 415 555 2671 " + "9".repeat(PhoneNumbers.MAX_CACHED_LENGTH);
        String longHost = "a".repeat(Domains.MAX_CACHED_LENGTH) + ".com";
        String longName = "Ä".repeat(Text.MAX_CACHED_LENGTH + 1);
        for (int i = 0; i < 3; i++) {
            assertThat(PhoneNumbers.e164(longPhone, "US")).isEqualTo(oracleE164(longPhone, "US"));
            assertThat(Domains.host(longHost)).isEqualTo(Optional.ofNullable(Domains.compute(longHost).host()));
            assertThat(Text.fold(longName)).isEqualTo(Text.foldUnicode(longName));
            assertThat(CompanyNames.normalize(longName + " GmbH")).isEqualTo(CompanyNames.compute(longName + " GmbH"));
        }
        assertThat(PhoneNumbers.cachedKeys()).noneMatch(k -> k.length() > PhoneNumbers.MAX_CACHED_LENGTH);
        assertThat(Domains.cachedKeys()).noneMatch(k -> k.length() > Domains.MAX_CACHED_LENGTH);
        assertThat(Text.cachedKeys()).noneMatch(k -> k.length() > Text.MAX_CACHED_LENGTH);
        assertThat(CompanyNames.cachedKeys()).noneMatch(k -> k.length() > CompanyNames.MAX_CACHED_LENGTH);
    }
}
