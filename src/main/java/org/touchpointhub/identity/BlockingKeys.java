package org.touchpointhub.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.touchpointhub.enrich.Addresses;
import org.touchpointhub.enrich.PersonNames;

/**
 * Blocking keys: a few strings per record, indexed by the store, such that two records of one person very likely
 * share at least one key while keys of common values stay rare. Each key combines two fields, so a typo in one
 * field still leaves keys built from the others. Phonetic codes (Double Metaphone, commons-codec) absorb spelling
 * variants of names.
 */
public final class BlockingKeys {
    private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();
    /*
     * Why a cache: Double Metaphone runs for every name and company token of every incoming person (1.2 % of a
     * consumer thread's samples in the bench profile) and names repeat across events. The code is a pure function of
     * the name, kept per name: bounded to PHONETIC_CACHE_SIZE entries of names up to MAX_CACHED_LENGTH characters
     * (about 2 MB); longer names are coded every time and never held.
     */
    static final int PHONETIC_CACHE_SIZE = 20_000;
    static final int MAX_CACHED_LENGTH = 64;
    private static final Cache<String, String> PHONETIC = Caffeine.newBuilder().maximumSize(PHONETIC_CACHE_SIZE).build();

    private BlockingKeys() {
    }

    /** Returns the blocking keys of one normalized person. */
    public static Set<String> of(PersonAttributes p) {
        Set<String> keys = new LinkedHashSet<>();
        String first = p.firstName().isEmpty() ? "" : phonetic(PersonNames.canonicalGivenName(p.firstName()));
        String last = phonetic(p.lastName());
        String fi = p.firstName().isEmpty() ? "" : p.firstName().substring(0, 1);
        String li = p.lastName().isEmpty() ? "" : p.lastName().substring(0, 1);
        String year = p.dob().length() >= 4 ? p.dob().substring(0, 4) : "";
        if (!p.email().isEmpty()) {
            keys.add("e:" + p.email());
            String local = p.email().substring(0, p.email().lastIndexOf('@'));
            if (local.length() >= 5) {
                keys.add("el:" + local);
            }
        }
        if (!p.phone().isEmpty()) {
            String digits = p.phone().replace("+", "");
            keys.add("p:" + digits.substring(Math.max(0, digits.length() - 7)));
        }
        add(keys, "nn:", first, last);
        // Given and family name are often swapped between fields: an order-free pair and each name with the birth
        // year still bring such records together. A full date of birth is rare enough to block on by itself.
        String lastAsFirst = p.lastName().isEmpty() ? "" : phonetic(PersonNames.canonicalGivenName(p.lastName()));
        if (!first.isEmpty() && !last.isEmpty()) {
            keys.add("nx:" + (first.compareTo(lastAsFirst) <= 0 ? first + ":" + lastAsFirst : lastAsFirst + ":" + first));
        }
        add(keys, "ny:", lastAsFirst, year);
        add(keys, "ny:", first, year);
        if (p.dob().length() == 8) {
            keys.add("d:" + p.dob());
        }
        add(keys, "ly:", last, year);
        add(keys, "fy:", first, year);
        add(keys, "db:", p.dob(), fi);
        add(keys, "dl:", p.dob(), li);
        add(keys, "pl:", p.postcode(), last);
        add(keys, "pf:", p.postcode(), first);
        String house = Addresses.houseNumber(p.street());
        String streetWord = streetName(p.street());
        add(keys, "st:", house, streetWord);
        add(keys, "cs:", p.city(), last);
        if (!p.company().isEmpty()) {
            for (String token : p.company().split(" ")) {
                if (token.length() >= 4) {
                    keys.add("co:" + phonetic(token));
                }
            }
            String company = p.company().replace(" ", "");
            keys.add("cx:" + company);
            // In a large store a common name, a city or a big company alone fills its block past the bound and is
            // skipped; a name with the company stays rare. Two keys, so a typo in one name still leaves the other.
            add(keys, "lc:", last, company);
            add(keys, "fc:", first, company);
        }
        return keys;
    }

    private static String streetName(String street) {
        for (String token : street.split(" ")) {
            if (token.length() >= 3 && !Character.isDigit(token.charAt(0))) {
                return token.substring(0, 3);
            }
        }
        return "";
    }

    private static void add(Set<String> keys, String prefix, String a, String b) {
        if (!a.isEmpty() && !b.isEmpty()) {
            keys.add(prefix + a + ":" + b);
        }
    }

    static String phonetic(String name) {
        if (name.isEmpty()) {
            return "";
        }
        return name.length() > MAX_CACHED_LENGTH ? uncachedPhonetic(name) : PHONETIC.get(name, BlockingKeys::uncachedPhonetic);
    }

    /** The uncached code (the cache's loader; tests compare the two). */
    static String uncachedPhonetic(String name) {
        if (name.isEmpty()) {
            return "";
        }
        String code = METAPHONE.doubleMetaphone(name.replace(" ", ""));
        return code == null || code.isEmpty() ? name : code;
    }

    /** Entries held now (for the tests' bound check). */
    static long cachedEntries() {
        PHONETIC.cleanUp();
        return PHONETIC.estimatedSize();
    }

    /** The values held now (for the tests' check that long values are never held). */
    static java.util.Set<String> cachedKeys() {
        return java.util.Set.copyOf(PHONETIC.asMap().keySet());
    }
}
