package org.touchpointhub.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/**
 * Phone numbers through libphonenumber: E.164 for valid numbers, a digits-only fallback for comparing the rest.
 *
 * <p>Why a cache: parsing is regex-heavy (8.5 % of a consumer thread's samples in the bench profile) and the same
 * numbers come back many times: the incoming person's and every candidate record's, each parsed twice (the value and
 * {@link #isMobile}). The result is a pure function of (raw value, region), so it is kept per such pair: bounded to
 * {@value #CACHE_SIZE} entries of inputs up to {@value #MAX_CACHED_LENGTH} characters (a few MB); longer inputs, which
 * libphonenumber rejects anyway (250 characters at most), are computed every time and never held.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    static final int CACHE_SIZE = 50_000;
    static final int MAX_CACHED_LENGTH = 64;
    private static final Cache<Input, Parsed> CACHE = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

    /** The cache key: the raw value and the region it is read in (regions never share an entry). */
    private record Input(String raw, String region) {
    }

    /**
     * What one parse tells.
     *
     * @param possibleE164 the E.164 form of a possible number (right length for its country), or null
     * @param e164 the E.164 form of a valid number, or null when not valid
     * @param mobile true when valid and possibly a personal line (see {@link #isMobile})
     */
    record Parsed(String possibleE164, String e164, boolean mobile) {
        private static final Parsed INVALID = new Parsed(null, null, false);
    }

    private PhoneNumbers() {
    }

    /** Returns the E.164 form (+441632960961) of a valid number, reading national numbers in the default region. */
    public static Optional<String> e164(String raw, String defaultRegion) {
        return Optional.ofNullable(parsed(raw, defaultRegion).e164());
    }

    /** Returns the E.164 form of a possible number (its length fits its country, validity unchecked), else empty. */
    public static Optional<String> possibleE164(String raw, String defaultRegion) {
        return Optional.ofNullable(parsed(raw, defaultRegion).possibleE164());
    }

    /** Returns the E.164 form when valid, else the bare digits (at least 6) so local numbers still compare, else empty. */
    public static Optional<String> matchValue(String raw, String defaultRegion) {
        Optional<String> e164 = e164(raw, defaultRegion);
        if (e164.isPresent()) {
            return e164;
        }
        String digits = raw == null ? "" : digits(raw);
        return digits.length() >= 6 ? Optional.of(digits) : Optional.empty();
    }

    /** The ASCII digits of a value, as {@code raw.replaceAll("[^0-9]", "")} gives them, without a regex. */
    static String digits(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Returns true when the number is valid and may be a personal line: a mobile, or a number whose plan cannot tell
     * mobiles from landlines (all of North America: FIXED_LINE_OR_MOBILE). Such a number is an identity key on its own,
     * as the platform's contract says (E.164 phone). A number the plan knows to be a landline (a shared office line)
     * only makes its owner a candidate for scoring.
     */
    public static boolean isMobile(String raw, String defaultRegion) {
        return parsed(raw, defaultRegion).mobile();
    }

    private static Parsed parsed(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return Parsed.INVALID;
        }
        if (raw.length() > MAX_CACHED_LENGTH) {
            return parse(raw, defaultRegion);
        }
        return CACHE.get(new Input(raw, defaultRegion), k -> parse(k.raw(), k.region()));
    }

    /** The uncached parse (the cache's loader; tests compare the two). */
    static Parsed parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return Parsed.INVALID;
        }
        try {
            PhoneNumber number = UTIL.parse(raw, defaultRegion);
            String possible = UTIL.isPossibleNumber(number) ? UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
            if (!UTIL.isValidNumber(number)) {
                return possible == null ? Parsed.INVALID : new Parsed(possible, null, false);
            }
            PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(number);
            return new Parsed(possible, UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164),
                    type == PhoneNumberUtil.PhoneNumberType.MOBILE
                            || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE);
        } catch (NumberParseException e) {
            return Parsed.INVALID;
        }
    }

    /** Entries held now (for the tests' bound check). */
    static long cachedEntries() {
        CACHE.cleanUp();
        return CACHE.estimatedSize();
    }

    /** The values held now (for the tests' check that long values are never held). */
    static java.util.Set<String> cachedKeys() {
        return CACHE.asMap().keySet().stream().map(k -> k.raw()).collect(java.util.stream.Collectors.toSet());
    }
}
