package org.touchpointhub.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded varied and hostile strings for comparing a cached or fast function with its plain form: realistic values
 * mixed with control characters, invisible and combining marks, ligatures, non-Latin scripts, surrogate pairs,
 * very long values and the empty string. Seeded, so a failure reproduces.
 */
public final class HostileStrings {
    private static final String[] PIECES = {"a", "Z", "é", "É", "ß", "ø", "Æ", "ł", "ﬁ", "e\u0301", "0", "7", "9",
            " ", "  ", "\t", "\n", "\r", "\u0000", "\u0007", "\u001b", "\u007f", "\u200b", "\u200e", "\ufeff",
            "\u00a0", "\u2028", ".", "..", "-", "_", "+", "(", ")", "/", ":", "?", "#", "@", "'", "\"", "\\", ",",
            "www.", "://", "mailto:", "李", "Ж", "ñ", "\ud83d\ude00", "\ud800", "Inc", "GmbH", "N.V.", "co", ".uk",
            ".com", "xn--", "%", "ext.", "x", "+1", "+44", "020", "555"};

    private HostileStrings() {
    }

    /** {@code count} strings from the seed: random pieces (0 to 12), now and then a 10 kB one. */
    public static List<String> random(long seed, int count) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pieces = random.nextInt(13);
            StringBuilder sb = new StringBuilder();
            for (int p = 0; p < pieces; p++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            if (random.nextInt(200) == 0) {
                sb.append(String.valueOf(PIECES[random.nextInt(PIECES.length)]).repeat(10_240));
            }
            out.add(sb.toString());
        }
        out.add("");
        out.add(" ");
        out.add("a".repeat(10_240));
        out.add("1".repeat(10_240));
        return out;
    }
}
