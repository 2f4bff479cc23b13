package org.touchpointhub.identity;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.touchpointhub.enrich.PersonNames;

/**
 * The comparisons the probabilistic matcher scores, each with ordered agreement levels (best first, the last one
 * always "different"). A missing value on either side gives no level and contributes no weight.
 */
public enum Comparison {
    FIRST_NAME(Field.FIRST_NAME, "exact", "nickname", "jaro_winkler>=0.92", "jaro_winkler>=0.80", "different"),
    LAST_NAME(Field.LAST_NAME, "exact", "jaro_winkler>=0.92", "jaro_winkler>=0.80", "different"),
    EMAIL(Field.EMAIL, "exact", "same_local_part", "similar_local_part", "same_domain", "different"),
    PHONE(Field.PHONE, "exact", "one_digit_off", "different"),
    DOB(Field.DOB, "exact", "one_typo_or_day_month_swap", "same_year", "different"),
    STREET(Field.STREET, "exact", "jaro_winkler>=0.90_same_number", "same_house_number", "different"),
    POSTCODE(Field.POSTCODE, "exact", "one_char_off", "different"),
    CITY(Field.CITY, "exact", "jaro_winkler>=0.90_or_one_edit", "different"),
    COMPANY(Field.COMPANY, "exact", "tokens_contained", "similar", "different");

    private static final JaroWinklerSimilarity JW = new JaroWinklerSimilarity();
    private static final LevenshteinDistance LEV1 = new LevenshteinDistance(2);

    private final Field field;
    private final List<String> levels;

    Comparison(Field field, String... levels) {
        this.field = field;
        this.levels = List.of(levels);
    }

    /** Returns the field this comparison reads. */
    public Field field() {
        return field;
    }

    /** Returns the level names, best first. */
    public List<String> levels() {
        return levels;
    }

    /** Returns the best level of the incoming value against any observed value, or -1 when either side is unknown. */
    public int bestLevel(String incoming, Iterable<String> observed) {
        if (incoming == null || incoming.isEmpty()) {
            return -1;
        }
        int best = -1;
        for (String value : observed) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            int level = level(incoming, value);
            if (best < 0 || level < best) {
                best = level;
            }
            if (best == 0) {
                break;
            }
        }
        return best;
    }

    /** Returns the level of two known values. */
    public int level(String a, String b) {
        switch (this) {
            case FIRST_NAME:
                return a.equals(b) ? 0 : digitsDiffer(a, b) ? 4 : PersonNames.sameGivenName(a, b) ? 1 : jw(a, b, 0.92, 2, 0.80, 3, 4);
            case LAST_NAME:
                return a.equals(b) ? 0 : digitsDiffer(a, b) ? 3 : jw(a, b, 0.92, 1, 0.80, 2, 3);
            case EMAIL:
                return email(a, b);
            case PHONE:
                return phone(a, b);
            case DOB:
                return dob(a, b);
            case STREET:
                return street(a, b);
            case POSTCODE:
                return a.equals(b) ? 0 : lev(a, b) <= 1 ? 1 : 2;
            case CITY:
                return a.equals(b) ? 0 : JW.apply(a, b) >= 0.90 || lev(a, b) <= 1 ? 1 : 2;
            case COMPANY:
                return company(a, b);
            default:
                throw new IllegalStateException(name());
        }
    }

    /**
     * True when both values carry numbers and the numbers differ ("person1" and "person249", "j.smith2" and
     * "j.smith7"): such values are different identifiers however alike their letters are, never a typo of each other.
     */
    static boolean digitsDiffer(String a, String b) {
        String da = digits(a);
        String db = digits(b);
        return !da.isEmpty() && !db.isEmpty() && !da.equals(db);
    }

    private static String digits(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(c);
            }
        }
        return out == null ? "" : out.toString();
    }

    private static int jw(String a, String b, double t1, int l1, double t2, int l2, int otherwise) {
        double s = JW.apply(a, b);
        return s >= t1 ? l1 : s >= t2 ? l2 : otherwise;
    }

    private static int lev(String a, String b) {
        int d = LEV1.apply(a, b);
        return d < 0 ? Integer.MAX_VALUE : d;
    }

    private static int email(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int at = a.lastIndexOf('@');
        int bt = b.lastIndexOf('@');
        String la = a.substring(0, at);
        String lb = b.substring(0, bt);
        boolean sameDomain = a.substring(at).equals(b.substring(bt));
        if (la.equals(lb)) {
            return 1;
        }
        if (!digitsDiffer(la, lb) && JW.apply(la, lb) >= 0.88) {
            return 2;
        }
        return sameDomain ? 3 : 4;
    }

    private static int phone(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        // A number stored without country or area code still identifies the line when its digits end the other one.
        String da = a.replace("+", "");
        String db = b.replace("+", "");
        if ((da.length() >= 7 && db.endsWith(da)) || (db.length() >= 7 && da.endsWith(db))) {
            return 0;
        }
        return da.length() == db.length() && lev(da, db) <= 1 ? 1 : 2;
    }

    private static int dob(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.length() == 8 && b.length() == 8) {
            boolean swap = a.substring(0, 4).equals(b.substring(0, 4)) && a.substring(4, 6).equals(b.substring(6, 8))
                    && a.substring(6, 8).equals(b.substring(4, 6));
            if (swap || lev(a, b) <= 1) {
                return 1;
            }
            return a.substring(0, 4).equals(b.substring(0, 4)) ? 2 : 3;
        }
        return 3;
    }

    private static int street(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        // The house number tells two addresses on one street apart: similar text with another number is another place.
        String na = org.touchpointhub.enrich.Addresses.houseNumber(a);
        String nb = org.touchpointhub.enrich.Addresses.houseNumber(b);
        boolean numbersDiffer = !na.isEmpty() && !nb.isEmpty() && !na.equals(nb);
        if (!numbersDiffer && JW.apply(a, b) >= 0.90) {
            return 1;
        }
        return !na.isEmpty() && na.equals(nb) ? 2 : 3;
    }

    private static int company(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        Set<String> ta = new TreeSet<>(List.of(a.split(" ")));
        Set<String> tb = new TreeSet<>(List.of(b.split(" ")));
        if (String.join("", ta).equals(String.join("", tb)) || a.replace(" ", "").equals(b.replace(" ", ""))) {
            return 0;
        }
        Set<String> small = ta.size() <= tb.size() ? ta : tb;
        Set<String> large = small == ta ? tb : ta;
        int found = 0;
        for (String token : small) {
            for (String other : large) {
                if (token.equals(other) || (token.length() >= 4 && JW.apply(token, other) >= 0.92)) {
                    found++;
                    break;
                }
            }
        }
        if (found == small.size() && String.join("", small).length() >= 4) {
            return 1;
        }
        if (JW.apply(String.join(" ", ta), String.join(" ", tb)) >= 0.90 || (found * 2 >= large.size() && found > 0)) {
            return 2;
        }
        return 3;
    }
}
