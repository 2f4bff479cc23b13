package org.touchpointhub.enrich;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Person names: folding (case, diacritics, punctuation) and given-name nickname equivalence (Bill/William,
 * Liz/Elizabeth) from the curated list in {@code enrich/nicknames.csv} (provenance in {@code enrich/PROVENANCE.md}).
 *
 * <p>The list has one line per name: the name, then names it is known by. It is not symmetric and not
 * transitive (bill lists robert), so "nickname of" means: the two names share a line where one of them is the
 * first entry. The canonical form is the longest of the name and the line heads that list it, because formal
 * names are the long ones (bill → william, liz → elizabeth).
 */
public final class PersonNames {
    private static final Map<String, Set<String>> RELATED = new HashMap<>();
    private static final Map<String, String> CANONICAL = new HashMap<>();

    static {
        for (String line : Text.resourceLines("/enrich/nicknames.csv")) {
            String[] names = line.split(",");
            String head = names[0].trim();
            for (int i = 1; i < names.length; i++) {
                String nick = names[i].trim();
                if (nick.isEmpty() || nick.equals(head)) {
                    continue;
                }
                RELATED.computeIfAbsent(head, k -> new HashSet<>()).add(nick);
                RELATED.computeIfAbsent(nick, k -> new HashSet<>()).add(head);
                String current = CANONICAL.getOrDefault(nick, nick);
                CANONICAL.put(nick, longer(current, head));
            }
        }
    }

    private PersonNames() {
    }

    private static String longer(String a, String b) {
        if (a.length() != b.length()) {
            return a.length() > b.length() ? a : b;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Folds a name to lower-case ASCII words: "  José-María " becomes "jose maria". */
    public static String fold(String name) {
        return Text.fold(name);
    }

    /** Returns the formal given name for a nickname ("bill" gives "william"), or the folded name itself. */
    public static String canonicalGivenName(String name) {
        String folded = fold(name);
        return CANONICAL.getOrDefault(folded, folded);
    }

    /** Returns true when one given name is a listed nickname of the other, or both share the same formal name. */
    public static boolean sameGivenName(String a, String b) {
        String fa = fold(a);
        String fb = fold(b);
        if (fa.isEmpty() || fb.isEmpty()) {
            return false;
        }
        if (fa.equals(fb)) {
            return true;
        }
        return RELATED.getOrDefault(fa, Collections.emptySet()).contains(fb)
                || canonicalGivenName(fa).equals(canonicalGivenName(fb));
    }
}
