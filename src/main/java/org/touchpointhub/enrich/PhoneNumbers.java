package org.touchpointhub.enrich;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/** Phone numbers through libphonenumber: E.164 for valid numbers, a digits-only fallback for comparing the rest. */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** Returns the E.164 form (+441632960961) of a valid number, reading national numbers in the default region. */
    public static Optional<String> e164(String raw, String defaultRegion) {
        return parseValid(raw, defaultRegion).map(n -> UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    /** Returns the E.164 form when valid, else the bare digits (at least 6) so local numbers still compare, else empty. */
    public static Optional<String> matchValue(String raw, String defaultRegion) {
        Optional<String> e164 = e164(raw, defaultRegion);
        if (e164.isPresent()) {
            return e164;
        }
        String digits = raw == null ? "" : raw.replaceAll("[^0-9]", "");
        return digits.length() >= 6 ? Optional.of(digits) : Optional.empty();
    }

    /**
     * Returns true when the number is valid and may be a personal line: a mobile, or a number whose plan cannot tell
     * mobiles from landlines (all of North America: FIXED_LINE_OR_MOBILE). Such a number is an identity key on its own,
     * as the platform's contract says (E.164 phone). A number the plan knows to be a landline (a shared office line)
     * only makes its owner a candidate for scoring.
     */
    public static boolean isMobile(String raw, String defaultRegion) {
        return parseValid(raw, defaultRegion)
                .map(n -> {
                    PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(n);
                    return type == PhoneNumberUtil.PhoneNumberType.MOBILE
                            || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
                })
                .orElse(false);
    }

    private static Optional<PhoneNumber> parseValid(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(raw, defaultRegion);
            return UTIL.isValidNumber(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
