package org.touchpointhub.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Company names: folding and removal of legal-form words (Inc, Ltd, GmbH, BV, N.V., SA, ...), so "Acme Inc." and
 * "ACME Limited" compare equal. Hand-written because no library on the classpath knows legal forms; the list
 * covers the forms of the English-, German-, Dutch-, French-, Spanish-, Italian- and Nordic-speaking markets.
 *
 * <p>Why a cache: the same company names come back with every candidate record (1.7 % of a consumer thread's samples
 * in the bench profile, mostly folding and the pair replacements); the result is a pure function of the name, kept
 * per name: bounded to {@value #CACHE_SIZE} entries of names up to {@value #MAX_CACHED_LENGTH} characters (a few
 * MB); longer names are computed every time and never held.
 */
public final class CompanyNames {
    static final int CACHE_SIZE = 20_000;
    static final int MAX_CACHED_LENGTH = 128;
    private static final Cache<String, String> CACHE = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();
    private static final Set<String> LEGAL_FORMS = Set.of("inc", "incorporated", "corp", "corporation", "co",
            "company", "ltd", "limited", "llc", "llp", "lp", "plc", "pllc", "pc", "gmbh", "ag", "kg", "kgaa",
            "ohg", "ug", "mbh", "ev", "bv", "nv", "vof", "cv", "naamloze", "vennootschap", "besloten", "sa", "sas",
            "sarl", "sasu", "eurl", "sl", "srl", "spa", "sapa", "ab", "as", "asa", "oy", "oyj", "aps", "pty",
            "pte", "bhd", "sdn", "kk", "se", "the");
    // Dotted abbreviations fold into single letters ("n.v." → "n v"); these pairs are joined back before stripping.
    private static final Set<String> LETTER_PAIRS = Set.of("n v", "b v", "s a", "a g", "s l", "s e", "c v", "e v",
            "p c", "l p", "a b", "a s");

    private CompanyNames() {
    }

    /** Returns the folded company name without legal-form words, or "" when nothing is left. */
    public static String normalize(String name) {
        if (name == null || name.length() > MAX_CACHED_LENGTH) {
            return compute(name);
        }
        return CACHE.get(name, CompanyNames::compute);
    }

    /** The uncached normalization (the cache's loader; tests compare the two). */
    static String compute(String name) {
        String folded = " " + Text.fold(name) + " ";
        for (String pair : LETTER_PAIRS) {
            folded = folded.replace(" " + pair + " ", " " + pair.replace(" ", "") + " ");
        }
        List<String> kept = new ArrayList<>();
        for (String token : folded.trim().split(" ")) {
            if (!token.isEmpty() && !LEGAL_FORMS.contains(token)) {
                kept.add(token);
            }
        }
        if (kept.isEmpty()) {
            // A name made only of legal-form words ("The Company") keeps its folded form rather than vanishing.
            return folded.trim();
        }
        return String.join(" ", kept);
    }

    /** Entries held now (for the tests' bound check). */
    static long cachedEntries() {
        CACHE.cleanUp();
        return CACHE.estimatedSize();
    }

    /** The values held now (for the tests' check that long values are never held). */
    static java.util.Set<String> cachedKeys() {
        return java.util.Set.copyOf(CACHE.asMap().keySet());
    }
}
