package org.touchpointhub.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a connector's {@code verify} options for one scheme and records every problem instead of failing on the
 * first, so {@link SignatureSchemes#check} can report them all. Messages never quote a secret's value.
 */
final class SchemeOptions {

    private final String scheme;
    private final Map<String, String> values;
    private final TreeSet<String> known = new TreeSet<>(List.of("scheme"));
    private final List<String> problems = new ArrayList<>();

    SchemeOptions(String scheme, Map<String, String> values) {
        this.scheme = scheme;
        this.values = values == null ? Map.of() : values;
    }

    /** A value that must be present and non-blank; an empty string (after recording a problem) when absent. */
    String required(String name) {
        String value = optional(name, null);
        if (value == null) {
            problem(name, "is required");
            return "";
        }
        return value;
    }

    /** A value or the default when absent or blank. */
    String optional(String name, String defaultValue) {
        known.add(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** One of a fixed set of words. */
    String oneOf(String name, String defaultValue, String... allowed) {
        String value = optional(name, defaultValue);
        if (!Arrays.asList(allowed).contains(value)) {
            problem(name, "must be " + String.join(" or ", allowed) + ", was '" + value + "'");
            return defaultValue;
        }
        return value;
    }

    /** A tolerance window; {@code null} when absent and there is no default (no time check). */
    Duration duration(String name, Duration defaultValue) {
        String text = optional(name, null);
        if (text == null) {
            return defaultValue;
        }
        Duration parsed = Signing.duration(text);
        if (parsed == null) {
            problem(name, "must be a duration such as 5m, 300s or PT5M, was '" + text + "'");
            return defaultValue == null ? Duration.ZERO : defaultValue;
        }
        return parsed;
    }

    /** The required secret and, during key rotation, the optional {@code previous-<name>} one. */
    List<String> rotating(String name) {
        var secrets = new ArrayList<String>();
        secrets.add(required(name));
        String previous = optional("previous-" + name, null);
        if (previous != null) {
            secrets.add(previous);
        }
        return secrets;
    }

    /** Records a problem with an option. */
    void problem(String name, String message) {
        problems.add(name + ": " + message);
    }

    /** All problems, including options this scheme does not know (typos). */
    List<String> problems() {
        var all = new ArrayList<>(problems);
        for (String name : new TreeSet<>(values.keySet())) {
            if (!known.contains(name)) {
                all.add(name + ": unknown option for scheme '" + scheme + "' (known: " + String.join(", ", known) + ")");
            }
        }
        return all;
    }
}
