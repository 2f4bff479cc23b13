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
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast lane for plain property chains answers what jayway answers, on many random documents and paths. */
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
}
