package org.touchpointhub.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Company names: folding and removal of legal-form words (Inc, Ltd, GmbH, BV, N.V., SA, ...), so "Acme Inc." and
 * "ACME Limited" compare equal. Hand-written because no library on the classpath knows legal forms; the list
 * covers the forms of the English-, German-, Dutch-, French-, Spanish-, Italian- and Nordic-speaking markets.
 */
public final class CompanyNames {
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
}
