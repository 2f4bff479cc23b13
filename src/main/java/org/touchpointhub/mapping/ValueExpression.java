package org.touchpointhub.mapping;

import com.jayway.jsonpath.InvalidPathException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A value in a connector file: one or more alternatives separated by {@code " || "} (the first that yields a
 * non-blank value wins), each a source followed by transforms separated by {@code " | "}.
 *
 * <p>A source is a JSONPath ({@code $.data.object.email}, filters allowed:
 * {@code $.answers[?(@.type=='email')].email}), the same on the whole event inside an {@code each} item
 * ({@code root:$.created_at}), or a quoted literal ({@code 'web'}). Transforms are the closed set in
 * {@link Transforms}, with an optional quoted argument: {@code default('unknown')}, {@code json('$.q3_email')}.
 */
public final class ValueExpression {

    private record Step(String name, Transforms.Transform transform) {}

    private record Alternative(CompiledPath path, boolean root, String literal, List<Step> steps) {}

    private final String source;
    private final List<Alternative> alternatives;

    private ValueExpression(String source, List<Alternative> alternatives) {
        this.source = source;
        this.alternatives = alternatives;
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException with a message naming what is wrong, for the loader to prefix with the
     *                                  file and path
     */
    public static ValueExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty expression");
        }
        List<Alternative> alternatives = new ArrayList<>();
        for (String alt : text.split(" \\|\\| ")) {
            String[] parts = alt.split(" \\| ");
            String src = parts[0].strip();
            CompiledPath path = null;
            String literal = null;
            boolean root = false;
            if (src.startsWith("root:")) {
                root = true;
                src = src.substring(5);
            }
            if (src.startsWith("$")) {
                try {
                    path = CompiledPath.compile(src);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("invalid JSONPath '" + src + "': " + e.getMessage());
                }
            } else if (src.length() >= 2 && src.startsWith("'") && src.endsWith("'")) {
                literal = src.substring(1, src.length() - 1);
            } else {
                throw new IllegalArgumentException("'" + src + "' is neither a JSONPath ($.field) nor a quoted literal ('text')");
            }
            List<Step> steps = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String t = parts[i].strip();
                String name = t;
                String arg = null;
                int open = t.indexOf('(');
                if (open > 0) {
                    if (!t.endsWith(")")) {
                        throw new IllegalArgumentException("transform '" + t + "' misses its closing parenthesis");
                    }
                    name = t.substring(0, open).strip();
                    arg = t.substring(open + 1, t.length() - 1).strip();
                    if (arg.length() >= 2 && arg.startsWith("'") && arg.endsWith("'")) {
                        arg = arg.substring(1, arg.length() - 1);
                    }
                }
                steps.add(new Step(name, Transforms.bind(name, arg)));
            }
            alternatives.add(new Alternative(path, root, literal, steps));
        }
        return new ValueExpression(text, List.copyOf(alternatives));
    }

    /** True when this expression is a single literal without transforms. */
    public boolean isLiteral() {
        return alternatives.size() == 1 && alternatives.get(0).literal != null && alternatives.get(0).steps.isEmpty();
    }

    /**
     * Evaluates against a parsed document.
     *
     * @param item the current item (the whole event outside {@code each})
     * @param root the whole event
     * @return the first non-blank alternative's value, or {@code null}
     * @throws IllegalArgumentException when a transform cannot read the value (e.g. not a number)
     */
    Object evaluate(Object item, Object root, MappingContext context) {
        for (Alternative alt : alternatives) {
            Object v = alt.literal != null ? alt.literal : context.read(alt.root ? root : item, alt.path);
            v = flatten(v);
            for (Step step : alt.steps) {
                v = flatten(step.transform.apply(v, context));
            }
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }

    /** A filter or wildcard path yields a list; a single match stands for its element. */
    private static Object flatten(Object v) {
        if (v instanceof Collection<?> c) {
            List<Object> nonNull = c.stream().filter(x -> x != null).map(x -> (Object) x).toList();
            if (nonNull.isEmpty()) {
                return null;
            }
            return nonNull.size() == 1 ? nonNull.get(0) : nonNull;
        }
        if (v instanceof Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        return v;
    }

    @Override
    public String toString() {
        return source;
    }
}
