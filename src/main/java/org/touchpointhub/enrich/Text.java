package org.touchpointhub.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Shared text folding and list loading used by every normalizer, so all of them agree on what "the same text" means. */
public final class Text {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
    /*
     * Why a cache: folding a value that is not folded yet (capitals, accents: "Ann", "Müller") costs a Unicode
     * normalization and two regex passes (1.7 % of a consumer thread's samples in the bench profile), and the same
     * names, cities and streets come back with every candidate record. The fold is a pure function of the value, so it
     * is kept per value: bounded to CACHE_SIZE entries of values up to MAX_CACHED_LENGTH characters (a few MB); longer
     * values are folded every time and never held.
     */
    static final int CACHE_SIZE = 50_000;
    static final int MAX_CACHED_LENGTH = 64;
    private static final Cache<String, String> FOLDED = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

    private Text() {
    }

    /** Folds a value to lower case ASCII letters and digits separated by single spaces, or "" when nothing is left. */
    public static String fold(String value) {
        if (value == null) {
            return "";
        }
        if (isFolded(value)) {
            return value; // already folded (matching folds each stored value many times): skip the Unicode work
        }
        return value.length() > MAX_CACHED_LENGTH ? foldUnicode(value) : FOLDED.get(value, Text::foldUnicode);
    }

    /** Entries held now (for the tests' bound check). */
    static long cachedEntries() {
        FOLDED.cleanUp();
        return FOLDED.estimatedSize();
    }

    static String foldUnicode(String value) {
        // NFKD splits "é" into "e" + accent and ligatures like "ﬁ" into "fi"; ß and ø have no decomposition.
        String decomposed = Normalizer.normalize(value, Normalizer.Form.NFKD)
                .replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("æ", "ae").replace("Æ", "ae")
                .replace("ł", "l").replace("Ł", "l").replace("đ", "d").replace("Đ", "d");
        String plain = MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
        return NON_ALNUM.matcher(plain).replaceAll(" ").trim();
    }

    /** True when {@link #fold} would return the value unchanged: lower-case ASCII letters and digits, single inner spaces. */
    static boolean isFolded(String value) {
        int n = value.length();
        if (n == 0) {
            return true;
        }
        if (value.charAt(0) == ' ' || value.charAt(n - 1) == ' ') {
            return false;
        }
        char previous = 'a';
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == ' ' && previous != ' ');
            if (!ok) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** Returns true when the value is null or only whitespace. */
    public static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Reads a UTF-8 classpath resource as lines, skipping blank lines and lines starting with '#'. */
    public static List<String> resourceLines(String path) {
        InputStream in = Text.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing resource " + path);
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The values held now (for the tests' check that long values are never held). */
    static java.util.Set<String> cachedKeys() {
        return java.util.Set.copyOf(FOLDED.asMap().keySet());
    }
}
