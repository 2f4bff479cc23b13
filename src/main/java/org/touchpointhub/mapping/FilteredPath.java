package org.touchpointhub.mapping;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.spi.json.JsonProvider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fast lane of {@link CompiledPath} for one filter between property chains, the form connector files use to pick
 * an answer or object by a field: {@code $.form_response.answers[?(@.type=='email')].email},
 * {@code $.answers[?(@.field.ref in ['first_name', 'firstname'])].text}, {@code $.data.object[?(@.object == 'invoice')].id},
 * {@code $[?(@.a == 'x' && @.b.c == 'y')].d}.
 *
 * <p>Why hand-written: jayway evaluates such a filter through its general machinery for every element: a predicate
 * context, the relative path {@code @.type} compiled into tokens and evaluated with its own result list, value
 * nodes for each side and, for {@code in}, the literal list re-parsed by json-smart on every element. A walk over
 * the parsed maps gives the same answer with none of that. Only what {@link #parse} accepts takes this lane (decided
 * once, when the path is compiled); it gives what jayway 2.9 gives under {@code SUPPRESS_EXCEPTIONS} with Jackson's
 * maps and lists ({@code CompiledPathTests} compares the two on many random documents and paths):
 * <ul>
 * <li>the property chain before the filter: an absent property or a step that is not an object gives an empty
 * list; a null or other primitive where the filter applies throws jayway's {@code InvalidPathException}
 * ("Filter: … can not be applied to primitives"), as jayway does even with exceptions suppressed;</li>
 * <li>the filter applies to each element of a list, or to an object itself; an element is kept when every
 * condition holds, in order, stopping at the first that fails;</li>
 * <li>a condition {@code @.chain == 'literal'} ({@code in [...]}: any of the literals) holds when the chain reaches
 * a string equal to the literal, or a number numerically equal to the literal read as a decimal ({@code 5},
 * {@code 5.0} and {@code '5.0'} are equal, as jayway's number and string nodes compare); never for a boolean,
 * null, object, list, absent property or an element that is not an object. A number jayway cannot read as a
 * decimal (an infinite double from {@code 1e400}) throws {@code NumberFormatException}, as it does in jayway;</li>
 * <li>the property chain after the filter: from each kept element, the value when every step is an object holding
 * the property (a null value included), else nothing for that element;</li>
 * <li>the result: a list made by the provider ({@code JsonProvider.createArray}), in document order.</li>
 * </ul>
 */
final class FilteredPath {

    /** {@code @.chain} compared with one or more string literals ({@code ==} is {@code in} with one literal). */
    private record Condition(String[] chain, String[] literals, BigDecimal[] numbers) {}

    private final String[] before;
    private final Condition[] conditions;
    private final String[] after;
    private final String filterFragment;

    private FilteredPath(String[] before, Condition[] conditions, String[] after) {
        this.before = before;
        this.conditions = conditions;
        this.after = after;
        StringBuilder fragment = new StringBuilder("[?]");
        for (String property : after) {
            fragment.append("['").append(property).append("']");
        }
        this.filterFragment = fragment.toString();
    }

    /** The fast-lane form of a path jayway has compiled, or null when this lane does not read it exactly. */
    static FilteredPath parse(String text) {
        return new Parser(text).path();
    }

    /** Reads the path in a parsed document (not null). */
    Object read(Object document, JsonProvider provider) {
        Object current = document;
        for (String property : before) {
            if (!(current instanceof Map<?, ?> map)) {
                return provider.createArray();
            }
            Object value = map.get(property);
            if (value == null && !map.containsKey(property)) {
                return provider.createArray();
            }
            current = value;
        }
        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) provider.createArray();
        if (current instanceof Map<?, ?>) {
            if (accepts(current)) {
                select(current, results);
            }
        } else if (current instanceof List<?> list) {
            for (Object element : list) {
                if (accepts(element)) {
                    select(element, results);
                }
            }
        } else {
            throw new InvalidPathException(String.format(
                    "Filter: %s can not be applied to primitives. Current context is: %s", filterFragment, current));
        }
        return results;
    }

    private boolean accepts(Object element) {
        for (Condition condition : conditions) {
            if (!holds(condition, element)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Condition condition, Object element) {
        Object value = element;
        for (String property : condition.chain) {
            if (!(value instanceof Map<?, ?> map)) {
                return false;
            }
            value = map.get(property);
        }
        if (value instanceof String s) {
            for (String literal : condition.literals) {
                if (s.equals(literal)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Number n) {
            // jayway makes every number a BigDecimal from its text first (throwing for Infinity and NaN), then
            // compares it with each literal that reads as a decimal
            BigDecimal number = new BigDecimal(n.toString());
            for (BigDecimal literal : condition.numbers) {
                if (literal != null && number.compareTo(literal) == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private void select(Object element, List<Object> results) {
        if (after.length == 0) {
            results.add(element);
            return;
        }
        Object current = element;
        int last = after.length - 1;
        for (int i = 0; i < last; i++) {
            if (!(current instanceof Map<?, ?> map)) {
                return;
            }
            current = map.get(after[i]);
        }
        if (current instanceof Map<?, ?> map) {
            Object value = map.get(after[last]);
            if (value != null || map.containsKey(after[last])) {
                results.add(value);
            }
        }
    }

    /**
     * Reads {@code $chain[?(cond( && cond)*)]chain} with {@code cond = @chain == 'lit' | @chain in ['lit', ...]},
     * names of identifier characters, literals in single quotes without characters jayway treats specially or that
     * this lane does not model (quotes, backslash, brackets, parentheses, comma, control characters ...); spaces
     * only around {@code ==}, {@code in}, {@code &&} and inside the list. Anything else: null (jayway reads it).
     */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        FilteredPath path() {
            if (!take("$")) {
                return null;
            }
            List<String> before = chain();
            if (before == null || !take("[?(")) {
                return null;
            }
            List<Condition> conditions = new ArrayList<>();
            do {
                Condition condition = condition();
                if (condition == null) {
                    return null;
                }
                conditions.add(condition);
            } while (spaced("&&"));
            if (!take(")]")) {
                return null;
            }
            List<String> after = chain();
            if (after == null || at != text.length()) {
                return null;
            }
            return new FilteredPath(before.toArray(String[]::new), conditions.toArray(Condition[]::new),
                    after.toArray(String[]::new));
        }

        private Condition condition() {
            if (!take("@")) {
                return null;
            }
            List<String> chain = chain();
            if (chain == null || chain.isEmpty()) {
                return null;
            }
            List<String> literals = new ArrayList<>();
            if (spaced("==")) {
                String literal = literal();
                if (literal == null) {
                    return null;
                }
                literals.add(literal);
            } else if (spaces() > 0 && take("in") && spaces() > 0 && take("[")) {
                do {
                    spaces();
                    String literal = literal();
                    if (literal == null) {
                        return null;
                    }
                    literals.add(literal);
                    spaces();
                } while (take(","));
                if (!take("]")) {
                    return null;
                }
            } else {
                return null;
            }
            BigDecimal[] numbers = new BigDecimal[literals.size()];
            for (int i = 0; i < numbers.length; i++) {
                try {
                    numbers[i] = new BigDecimal(literals.get(i));
                } catch (NumberFormatException e) {
                    numbers[i] = null; // jayway's NaN node: equal to no number
                }
            }
            return new Condition(chain.toArray(String[]::new), literals.toArray(String[]::new), numbers);
        }

        /** {@code (.name)*}, or null when a dot is not followed by a name. */
        private List<String> chain() {
            List<String> names = new ArrayList<>();
            while (take(".")) {
                int start = at;
                if (at < text.length() && isNameStart(text.charAt(at))) {
                    at++;
                    while (at < text.length() && isNamePart(text.charAt(at))) {
                        at++;
                    }
                }
                if (at == start) {
                    return null;
                }
                names.add(text.substring(start, at));
            }
            return names;
        }

        private String literal() {
            if (!take("'")) {
                return null;
            }
            int start = at;
            while (at < text.length() && plainLiteralChar(text.charAt(at))) {
                at++;
            }
            String literal = text.substring(start, at);
            return take("'") ? literal : null;
        }

        private boolean spaced(String token) {
            int mark = at;
            spaces();
            if (take(token)) {
                spaces();
                return true;
            }
            at = mark;
            return false;
        }

        private int spaces() {
            int start = at;
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
            return at - start;
        }

        private boolean take(String token) {
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private static boolean isNameStart(char c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
        }

        private static boolean isNamePart(char c) {
            return isNameStart(c) || c >= '0' && c <= '9';
        }

        private static boolean plainLiteralChar(char c) {
            return c >= ' ' && c != 0x7f && "'\"\\[](),&|@$?=!<>~/{}".indexOf(c) < 0;
        }
    }
}
