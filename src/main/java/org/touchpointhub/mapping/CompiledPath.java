package org.touchpointhub.mapping;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSONPath compiled once, with a fast lane for plain property chains ({@code $.data.object.email}).
 *
 * <p>Why hand-written: most paths in connector files are such chains, and jayway evaluates each through its general
 * token machinery and, for every absent property (most alternatives of a {@code ||} list), builds and catches a
 * {@code PathNotFoundException} (JSONPath reads were 4.8 % of a consumer thread's samples in the bench profile). A
 * chain of object properties needs only a walk over the parsed maps, with jayway's answers under
 * {@code SUPPRESS_EXCEPTIONS}: the value when every step is an object holding the property, else null (an absent
 * property, a step that is not an object, a null on the way). A filter between property chains
 * ({@code $.answers[?(@.type=='email')].email}, {@code in [...]}, {@code &&}) takes {@link FilteredPath}. Every other
 * path (other filters, indexes, wildcards, deep scan, bracket notation) is read by jayway; {@code CompiledPathTests}
 * compares the lanes with jayway on many documents.
 */
final class CompiledPath {
    // Only identifiers: dot-notation names jayway reads as one plain property each.
    private static final Pattern PLAIN_CHAIN = Pattern.compile("\\$(\\.[A-Za-z_][A-Za-z0-9_]*)+");

    private final JsonPath path;
    private final String[] properties;
    private final FilteredPath filtered;

    private CompiledPath(JsonPath path, String[] properties, FilteredPath filtered) {
        this.path = path;
        this.properties = properties;
        this.filtered = filtered;
    }

    /** Compiles a path; throws jayway's {@code InvalidPathException} for an invalid one. */
    static CompiledPath compile(String text) {
        JsonPath path = JsonPath.compile(text);
        if (PLAIN_CHAIN.matcher(text).matches()) {
            return new CompiledPath(path, text.substring(2).split("\\."), null);
        }
        return new CompiledPath(path, null, FilteredPath.parse(text));
    }

    /**
     * Reads the path in a parsed document, as {@code path.read(document, json)} would with exceptions suppressed; the
     * caller ({@code ValueExpressions}) takes this lane only for the configuration it reproduces.
     */
    Object read(Object document, Configuration json) {
        if (filtered != null && document != null) {
            return filtered.read(document, json.jsonProvider());
        }
        if (properties == null) {
            return path.read(document, json);
        }
        Object current = document;
        for (String property : properties) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(property);
        }
        return current;
    }

    /** True when this path takes the fast lane (for tests). */
    boolean plainChain() {
        return properties != null;
    }

    /** True when this path takes the filter lane (for tests). */
    boolean filtered() {
        return filtered != null;
    }

    /** The jayway path (the general lane). */
    JsonPath jsonPath() {
        return path;
    }

    @Override
    public String toString() {
        return path.getPath();
    }
}
