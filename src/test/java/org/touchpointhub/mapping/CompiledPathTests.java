package org.touchpointhub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast lanes (plain property chains, and one filter between chains) answer what jayway answers, on many random
 * documents and paths: same value or list (same element types, same order), same exception for a filter on a
 * primitive.
 */
class CompiledPathTests {
    // the configuration EventMapper reads events with
    private static final Configuration JSON = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();
    private static final String[] NAMES = {"a", "b", "email", "data", "object", "_x", "A1", "missing"};

    private static String value(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 9);
        switch (kind) {
            case 0: return "null";
            case 1: return "\"s" + random.nextInt(100) + "\"";
            case 2: return String.valueOf(random.nextInt(1000) - 500);
            case 3: return random.nextBoolean() ? "true" : "false";
            case 4: return String.valueOf(random.nextDouble());
            case 5: return "\"\"";
            case 6: case 7: return object(random, depth + 1);
            default: {
                StringBuilder sb = new StringBuilder("[");
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(value(random, depth + 1));
                }
                return sb.append(']').toString();
            }
        }
    }

    private static String object(Random random, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append('"').append(NAMES[random.nextInt(NAMES.length - 1)]).append("\":")
                    .append(value(random, depth));
        }
        return sb.append('}').toString();
    }

    @Test // #7
    void plainChains_readWhatJaywayReadsOnRandomDocuments() {
        Random random = new Random(53);
        int plain = 0;
        for (int d = 0; d < 2_000; d++) {
            String text = random.nextInt(10) == 0 ? "[" + object(random, 0) + "]" : object(random, 0);
            Object document = JSON.jsonProvider().parse(text);
            for (int p = 0; p < 20; p++) {
                StringBuilder path = new StringBuilder("$");
                int steps = 1 + random.nextInt(4);
                for (int s = 0; s < steps; s++) {
                    path.append('.').append(NAMES[random.nextInt(NAMES.length)]);
                }
                CompiledPath compiled = CompiledPath.compile(path.toString());
                assertThat(compiled.plainChain()).isTrue();
                plain++;
                assertThat(compiled.read(document, JSON)).as("%s on %s", path, text)
                        .isEqualTo(JsonPath.compile(path.toString()).read(document, JSON));
            }
        }
        assertThat(plain).isEqualTo(40_000);
    }

    @Test // #7
    void otherPaths_goToJayway() {
        for (String path : new String[] {"$", "$['a']", "$.a[0]", "$..a", "$.*", "$.a.*", "$.a-b", "$.a[?(@.b == 1)]",
                "$.a.length()", "$.1a", "$.a b", "$.a.", "$[0].email"}) {
            try {
                assertThat(CompiledPath.compile(path).plainChain()).as(path).isFalse();
            } catch (InvalidPathException e) {
                // jayway refuses it: compile keeps that error
            }
        }
        String text = "{\"a\":{\"b\":1},\"a-b\":2,\"list\":[{\"email\":\"x@example.org\"}]}";
        Object document = JSON.jsonProvider().parse(text);
        for (String path : new String[] {"$['a']", "$..b", "$.a-b", "$.list[0].email", "$.list[*].email"}) {
            assertThat(CompiledPath.compile(path).read(document, JSON))
                    .isEqualTo(JsonPath.compile(path).read(document, JSON));
        }
        assertThatThrownBy(() -> CompiledPath.compile("$.a[?(")).isInstanceOf(InvalidPathException.class);
    }

    @Test // #7
    void aConfigurationThatThrowsOnAbsentPaths_isReadByJaywayAlone() {
        Configuration strict = Configuration.builder().jsonProvider(new JacksonJsonProvider())
                .mappingProvider(new JacksonMappingProvider()).build();
        ValueExpressions expressions = new ValueExpressions("US", strict);
        Object document = strict.jsonProvider().parse("{\"a\":{\"b\":\"x\"}}");
        assertThat(expressions.evaluate(ValueExpression.parse("$.a.b"), document, document)).isEqualTo("x");
        assertThatThrownBy(() -> expressions.evaluate(ValueExpression.parse("$.a.missing"), document, document))
                .isInstanceOf(PathNotFoundException.class);
    }

    // ---- filters (#7): one [?(...)] between property chains ----

    private static final String[] FILTER_NAMES = {"a", "b", "type", "ref", "text", "field"};
    // hostile JSON values: numbers as strings, quotes, backslash, unicode, control characters, number forms, null
    private static final String[] SCALARS = {"\"email\"", "\"x\"", "\"5\"", "\"5.0\"", "\"\"", "\" 5\"", "\"true\"",
        "\"null\"", "\"it's\"", "\"a\\\"b\"", "\"back\\\\slash\"", "\"\u00e9\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"",
        "\"\\u0007bell\"", "\"tab\\there\"", "\"a b\"", "\"a)b\"", "\"1e2\"", "5", "5.0", "-0", "-0.0", "1e2", "100",
        "0.1", "12345678901234567890", "true", "false", "null", "null"};
    // literals for the paths; the last ones cannot take the lane (escapes, brackets, commas, control characters)
    private static final String[] LITERALS = {"x", "email", "5", "5.0", "", "true", "null", "1e2", "100", "-0", "0.1",
        "\u00e9", "\ud83d\ude00", "a b", " 5", " x ", "12345678901234567890", "text", "a", "b", "a.b", "a:b", "50%",
        "#x", "a*b", "a-b", "+5", "5;", "^`"};
    private static final String[] HOSTILE_LITERALS = {"it\\'s", "a)b", "a]b", "a,b", "tab\there", "back\\\\slash",
        "a\"b", "a&&b", "@.a", "$"};

    private static String filterValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 10 : 16);
        if (kind < 10) {
            // infinite doubles (1e400) are rare: jayway throws NumberFormatException on them in a comparison
            if (random.nextInt(400) == 0) {
                return "1e400";
            }
            return SCALARS[random.nextInt(SCALARS.length)];
        }
        if (kind < 12) {
            return filterObject(random, depth + 1);
        }
        StringBuilder sb = new StringBuilder("[");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "");
            // mostly objects, some scalars, nested arrays, null
            sb.append(random.nextInt(4) == 0 ? filterValue(random, depth + 1) : filterObject(random, depth + 1));
        }
        return sb.append(']').toString();
    }

    private static String filterObject(Random random, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            String name = FILTER_NAMES[random.nextInt(FILTER_NAMES.length)];
            sb.append(i > 0 ? "," : "").append('"').append(name).append("\":").append(filterValue(random, depth));
        }
        return sb.append('}').toString();
    }

    /** A filter path's parts: names before, conditions (a chain and its literals, as written), names after. */
    private record FilterSpec(List<String> before, List<List<String>> chains, List<List<String>> literals,
            List<String> after) {

        static FilterSpec random(Random random) {
            List<List<String>> chains = new ArrayList<>();
            List<List<String>> literals = new ArrayList<>();
            int conditions = random.nextInt(4) == 0 ? 2 : 1;
            for (int c = 0; c < conditions; c++) {
                chains.add(names(random, 1 + (random.nextInt(4) == 0 ? 1 : 0)));
                List<String> values = new ArrayList<>();
                // one literal: ==, or (half of the time) in [...] with one to three
                int n = random.nextBoolean() ? 0 : 1 + random.nextInt(3);
                for (int i = 0; i < Math.max(n, 1); i++) {
                    values.add(literal(random));
                }
                if (n == 0) {
                    values.add(0, "==");
                }
                literals.add(values);
            }
            return new FilterSpec(names(random, random.nextInt(3)), chains, literals, names(random, random.nextInt(3)));
        }

        private static List<String> names(Random random, int n) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(FILTER_NAMES[random.nextInt(FILTER_NAMES.length)]);
            }
            return names;
        }

        /** The path, with the spacings connector files use (or omit) around ==, in, commas and &&. */
        String path(Random random) {
            StringBuilder sb = new StringBuilder("$");
            before.forEach(n -> sb.append('.').append(n));
            sb.append("[?(");
            for (int c = 0; c < chains.size(); c++) {
                if (c > 0) {
                    sb.append(random.nextBoolean() ? " && " : "&&");
                }
                sb.append('@');
                chains.get(c).forEach(n -> sb.append('.').append(n));
                List<String> values = literals.get(c);
                if (values.get(0).equals("==")) {
                    sb.append(random.nextBoolean() ? " == " : "==").append('\'').append(values.get(1)).append('\'');
                } else {
                    sb.append(" in [");
                    for (int i = 0; i < values.size(); i++) {
                        sb.append(i > 0 ? (random.nextBoolean() ? ", " : ",") : "").append('\'').append(values.get(i))
                                .append('\'');
                    }
                    sb.append(']');
                }
            }
            sb.append(")]");
            after.forEach(n -> sb.append('.').append(n));
            return sb.toString();
        }

        /**
         * A document shaped along the path, so that many elements match: objects down the names before (now and
         * then a missing, null or other value instead), a list of elements (or one object), each an object holding
         * the conditions' chains (a literal's value as string or number, or a hostile value) and the names after,
         * or any other value.
         */
        String document(Random random) {
            return along(random, before, 0, () -> {
                if (random.nextInt(5) == 0) {
                    return element(random);
                }
                StringBuilder sb = new StringBuilder("[");
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(random.nextInt(5) == 0 ? filterValue(random, 2) : element(random));
                }
                return sb.append(']').toString();
            });
        }

        private String element(Random random) {
            StringBuilder sb = new StringBuilder("{");
            for (int c = 0; c < chains.size(); c++) {
                List<String> values = literals.get(c);
                String value = values.get(random.nextInt(values.size()));
                String json = random.nextInt(3) == 0 || value.equals("==") ? filterValue(random, 3)
                        : random.nextInt(4) == 0 && value.matches("-?[0-9]+") ? value + (random.nextBoolean() ? ".0" : "")
                        : jsonString(value);
                String nested = along(random, chains.get(c), 0, () -> json);
                // the chain's first name and value inside this element (a broken chain may be no object: skipped)
                if (nested.startsWith("{") && nested.length() > 2) {
                    sb.append(sb.length() > 1 ? "," : "").append(nested, 1, nested.length() - 1);
                }
            }
            if (!after.isEmpty()) {
                String tail = along(random, after, 0, () -> filterValue(random, 2));
                if (tail.startsWith("{") && tail.length() > 2) {
                    sb.append(sb.length() > 1 ? "," : "").append(tail, 1, tail.length() - 1);
                }
            }
            if (random.nextInt(3) == 0) {
                String noise = filterObject(random, 3);
                if (noise.length() > 2) {
                    sb.append(sb.length() > 1 ? "," : "").append(noise, 1, noise.length() - 1);
                }
            }
            return sb.append('}').toString();
        }

        /** {"names[i]": {... end ...}}, now and then broken (a missing name, null or another value on the way). */
        private static String along(Random random, List<String> names, int i, java.util.function.Supplier<String> end) {
            if (i == names.size()) {
                return end.get();
            }
            int broken = random.nextInt(25);
            if (broken == 0) {
                return filterValue(random, 3);
            }
            String name = broken == 1 ? FILTER_NAMES[random.nextInt(FILTER_NAMES.length)] : names.get(i);
            return "{\"" + name + "\":" + along(random, names, i + 1, end) + "}";
        }
    }

    private static String jsonString(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < ' ') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String literal(Random random) {
        int kind = random.nextInt(60);
        return kind == 0 ? HOSTILE_LITERALS[random.nextInt(HOSTILE_LITERALS.length)]
                : LITERALS[random.nextInt(LITERALS.length)];
    }

    /** What a read gives: its value, or the exception it throws. */
    private static Object outcome(java.util.function.Supplier<Object> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void assertSameOutcome(Object actual, Object expected, String description) {
        if (expected instanceof RuntimeException e) {
            assertThat(actual).as(description).isInstanceOf(RuntimeException.class);
            assertThat(actual.getClass()).as(description).isEqualTo(e.getClass());
            assertThat(((RuntimeException) actual).getMessage()).as(description).isEqualTo(e.getMessage());
            return;
        }
        assertThat(actual).as(description).isEqualTo(expected);
        if (expected != null) {
            assertThat(actual.getClass()).as(description).isEqualTo(expected.getClass());
        }
        if (expected instanceof List<?> list) {
            List<?> got = (List<?>) actual;
            for (int i = 0; i < list.size(); i++) {
                Object e = list.get(i);
                assertThat(got.get(i) == null ? null : got.get(i).getClass()).as(description)
                        .isEqualTo(e == null ? null : e.getClass());
            }
        }
    }

    @Test // #7
    void filteredPaths_readWhatJaywayReadsOnRandomDocuments() {
        Random random = new Random(71);
        int filtered = 0;
        int jayway = 0;
        int invalid = 0;
        int nonEmpty = 0;
        int thrown = 0;
        while (filtered < 40_000) {
            FilterSpec spec = FilterSpec.random(random);
            // mostly a document shaped along the path; else any document, or the path of another spec
            int shape = random.nextInt(10);
            String text = shape == 0 ? filterValue(random, 0) : shape == 1 ? filterObject(random, 0)
                    : shape == 2 ? FilterSpec.random(random).document(random) : spec.document(random);
            Object document = JSON.jsonProvider().parse(text);
            String path = spec.path(random);
            CompiledPath compiled;
            try {
                compiled = CompiledPath.compile(path);
            } catch (InvalidPathException e) {
                invalid++;
                continue;
            }
            if (compiled.filtered()) {
                filtered++;
            } else {
                jayway++;
            }
            Object expected = outcome(() -> JsonPath.compile(path).read(document, JSON));
            Object actual = outcome(() -> compiled.read(document, JSON));
            assertSameOutcome(actual, expected, path + " on " + text);
            if (expected instanceof RuntimeException) {
                thrown++;
            } else if (expected instanceof List<?> l && !l.isEmpty()) {
                nonEmpty++;
            }
        }
        System.out.printf("filter lane %d, jayway %d, invalid %d, non-empty %d, thrown %d%n", filtered, jayway, invalid,
                nonEmpty, thrown);
        // the comparison means something: many matches, some of jayway's exceptions, hostile paths left to jayway
        assertThat(nonEmpty).isGreaterThan(8_000);
        assertThat(thrown).isGreaterThan(400);
        assertThat(jayway).isGreaterThan(400);
        assertThat(invalid + jayway + filtered).isGreaterThan(40_000);
    }

    private static Object read(String path, String json) {
        Object document = JSON.jsonProvider().parse(json);
        CompiledPath compiled = CompiledPath.compile(path);
        assertThat(compiled.filtered()).as(path).isTrue();
        Object expected = outcome(() -> JsonPath.compile(path).read(document, JSON));
        Object actual = outcome(() -> compiled.read(document, JSON));
        assertSameOutcome(actual, expected, path + " on " + json);
        return actual;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(String path, String json) {
        Object value = read(path, json);
        assertThat(value).as(path).isInstanceOf(LinkedList.class);
        return (List<Object>) value;
    }

    @Test // #7
    void equalsFilter_keepsMatchingObjectsOfAList_inOrder_withTheirPropertyOrNull() {
        String answers = "{\"r\":{\"answers\":[{\"type\":\"email\",\"email\":\"a@example.org\"},{\"type\":\"text\"},"
                + "{\"type\":\"email\",\"email\":null},{\"type\":\"email\"},\"email\",[{\"type\":\"email\"}],null,"
                + "{\"type\":\"email\",\"email\":{\"x\":1}},{\"type\":\"email\",\"email\":\"b@example.org\"}]}}";
        assertThat(list("$.r.answers[?(@.type=='email')].email", answers)).containsExactly("a@example.org", null, Map.of("x", 1), "b@example.org");
        assertThat(list("$.r.answers[?(@.type == 'email')]", answers)).hasSize(5);
        assertThat(list("$.r.answers[?(@.type=='email')].email.x", answers)).containsExactly(1);
        assertThat(list("$.r.answers[?(@.type=='none')].email", answers)).isEmpty();
    }

    @Test // #7
    void inFilter_matchesAnyLiteral_throughANestedChain() {
        String answers = "{\"answers\":[{\"field\":{\"ref\":\"firstname\"},\"text\":\"Ann\"},"
                + "{\"field\":{\"ref\":\"last_name\"},\"text\":\"Lee\"},{\"field\":\"first_name\",\"text\":\"no\"},"
                + "{\"field\":{\"ref\":\"first_name\"},\"text\":\"Anna\"},{\"field\":{},\"text\":\"none\"}]}";
        assertThat(list("$.answers[?(@.field.ref in ['first_name', 'firstname', 'given_name'])].text",
                answers)).containsExactly("Ann", "Anna");
        assertThat(list("$.answers[?(@.field.ref in ['last_name'])].text", answers)).containsExactly("Lee");
    }

    @Test // #7
    void filterOnAnObject_testsTheObjectItself() {
        String event = "{\"data\":{\"object\":{\"object\":\"invoice\",\"amount_paid\":1999,\"lines\":null}}}";
        assertThat(list("$.data.object[?(@.object == 'invoice')].amount_paid", event)).containsExactly(1999);
        assertThat(list("$.data.object[?(@.object == 'customer')].amount_paid", event)).isEmpty();
        assertThat(list("$.data.object[?(@.object == 'invoice')].lines", event)).containsExactly((Object) null);
        assertThat(list("$[?(@.data.object.object == 'invoice' && @.data.object.amount_paid == '1999')].data",
                event)).hasSize(1);
        assertThat(list("$[?(@.data.object.object == 'invoice' && @.data.object.amount_paid == '1')].data",
                event)).isEmpty();
    }

    @Test // #7
    void numbersEqualStringLiteralsNumerically_butBooleansAndNullsNever() {
        String list = "{\"l\":[{\"v\":5,\"i\":1},{\"v\":5.0,\"i\":2},{\"v\":\"5\",\"i\":3},{\"v\":\"5.0\",\"i\":4},"
                + "{\"v\":true,\"i\":5},{\"v\":null,\"i\":6},{\"i\":7},{\"v\":[5],\"i\":8},{\"v\":500e-2,\"i\":9}]}";
        assertThat(list("$.l[?(@.v == '5')].i", list)).containsExactly(1, 2, 3, 9);
        assertThat(list("$.l[?(@.v == '5.0')].i", list)).containsExactly(1, 2, 4, 9);
        assertThat(list("$.l[?(@.v in ['true', 'null', '5x'])].i", list)).isEmpty();
        assertThat(list("$.l[?(@.v == ' 5')].i", list)).isEmpty();
    }

    @Test // #7
    void absentOrMisshapedChainsBeforeTheFilter_readAsEmptyLists_butAPrimitiveThrowsAsInJayway() {
        assertThat(list("$.a.b[?(@.type=='x')].c", "{}")).isEmpty();
        assertThat(list("$.a.b[?(@.type=='x')].c", "{\"a\":null}")).isEmpty();
        assertThat(list("$.a.b[?(@.type=='x')].c", "{\"a\":[{\"b\":[]}]}")).isEmpty();
        assertThat(list("$.a[?(@.type=='x')].c", "[{\"a\":[]}]")).isEmpty();
        assertThat(read("$.a.b[?(@.type=='x')].c", "{\"a\":{\"b\":null}}")).isInstanceOf(InvalidPathException.class)
                .hasFieldOrPropertyWithValue("message",
                        "Filter: [?]['c'] can not be applied to primitives. Current context is: null");
        assertThat(read("$.a[?(@.type=='x')]", "{\"a\":\"text\"}")).isInstanceOf(InvalidPathException.class);
        assertThat(read("$[?(@.type=='x')]", "5")).isInstanceOf(InvalidPathException.class);
        assertThat(read("$.a[?(@.t=='x')].c", "{\"a\":[{\"t\":1e400}]}")).isInstanceOf(NumberFormatException.class);
    }

    @Test // #7
    void otherFilters_goToJayway() {
        for (String path : new String[] {"$[?(@.id =~ /ctm_.*/)].id", "$['event-data'][?(@.event == 'failed')].event",
                "$.a[?(@.b == \"x\")]", "$.a[?(@.b == 5)]", "$.a[?(@.b == true)]", "$.a[?(@.b != 'x')]",
                "$.a[?(@.b)]", "$.a[?(@.b == 'x' || @.c == 'y')]", "$.a[?(@.b == 'x')][0]", "$.a[?(@.b == 'x')].*",
                "$.a[?(@.b == 'x')].c[?(@.d == 'y')]", "$..a[?(@.b == 'x')]", "$.a[?('x' == @.b)]",
                "$.a[?(@.b nin ['x'])]", "$.a[?(@.b in ['x', 5])]", "$.a[?(@.b == 'it\\'s')]", "$.a[?(@.b == 'a)b')]",
                "$.a[?(@.b in ['a,b'])]", "$.a[?(@ == 'x')]", "$.a[?($.b == 'x')]", "$.a[?(@['b'] == 'x')]",
                "$.a[?( @.b == 'x' )]", "$.a[?(@.b in['x'])]", "$.a[?(@.b == 'x')].c-d", "$.a[?(@.b == 'x')].c()"}) {
            try {
                assertThat(CompiledPath.compile(path).filtered()).as(path).isFalse();
            } catch (InvalidPathException e) {
                // jayway refuses it: compile keeps that error
            }
        }
    }

    /** The source paths with a filter in one connector file's values ("a | t || b" gives a and b). */
    private static List<String> filterPaths(String connector) throws IOException {
        List<String> paths = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("connectors", connector + ".yaml"))) {
            String value = line.contains(": ") ? line.substring(line.indexOf(": ") + 2) : line.strip();
            int comment = value.indexOf(" #");
            value = comment >= 0 ? value.substring(0, comment) : value;
            for (String alternative : value.split(" \\|\\| ")) {
                String source = alternative.split(" \\| ")[0].strip();
                if (source.startsWith("||")) {
                    source = source.substring(2).strip();
                }
                if (source.startsWith("$") && source.contains("[?(")) {
                    paths.add(source);
                }
            }
        }
        return paths;
    }

    private static Object fixture(String path) throws IOException {
        try (InputStream in = CompiledPathTests.class.getResourceAsStream("/fixtures/" + path)) {
            assertThat(in).as(path).isNotNull();
            return JSON.jsonProvider().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test // #7
    void shippedFilters_takeTheLaneWhereTheyCan_andReadWhatJaywayReadsOnVendorEvents() throws IOException {
        List<String> typeform = filterPaths("typeform");
        assertThat(typeform).hasSize(10);
        assertThat(typeform).allSatisfy(p -> assertThat(CompiledPath.compile(p).filtered()).as(p).isTrue());
        List<String> stripe = filterPaths("stripe");
        assertThat(stripe).hasSizeGreaterThan(10);
        assertThat(stripe).filteredOn(p -> CompiledPath.compile(p).filtered()).hasSize(stripe.size());

        List<Object> events = new ArrayList<>();
        events.add(fixture("typeform/form_response.docs-example-2018.json"));
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/fixtures/stripe"))) {
            for (Path file : files.sorted().toList()) {
                events.add(fixture("stripe/" + file.getFileName()));
            }
        }
        int nonEmpty = 0;
        for (String path : Stream.concat(typeform.stream(), stripe.stream()).toList()) {
            CompiledPath compiled = CompiledPath.compile(path);
            for (Object event : events) {
                Object expected = outcome(() -> JsonPath.compile(path).read(event, JSON));
                assertSameOutcome(outcome(() -> compiled.read(event, JSON)), expected, path);
                nonEmpty += expected instanceof List<?> l && !l.isEmpty() ? 1 : 0;
            }
        }
        assertThat(nonEmpty).isGreaterThan(10);
    }
}
