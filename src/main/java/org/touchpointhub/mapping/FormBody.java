package org.touchpointhub.mapping;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} text (a form body or a query string) as fields: the one decoder the edge
 * (signatures over decoded values, tokens in the query) and the mapper (documents for JSONPath) share.
 */
public final class FormBody {

    private FormBody() {
    }

    /** Every value of every field, in order; a malformed escape (a sender's bug or an attack) is kept as written. */
    public static Map<String, List<String>> decode(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = component(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : component(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** The fields as a document: a field given once is its value, a repeated one a list. */
    public static Map<String, Object> document(Map<String, List<String>> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, v.size() == 1 ? v.get(0) : List.copyOf(v)));
        return out;
    }

    private static String component(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
