package org.touchpointhub.identity;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.touchpointhub.mapping.ValueExpression;
import org.touchpointhub.mapping.ValueExpressions;

/**
 * JMH micro-benchmarks of the per-event preparation around the matcher: building a candidate's match record from its
 * observed values (as {@code IdentityResolver} does for every loaded touchpoint; the 2,000 people repeat, as
 * candidates of busy blocks do), the JSON of a decision's explanation, and reading a connector's values from a parsed
 * event. Run as {@link MatcherBenchmark} says, with {@code PreparationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreparationBenchmark {
    private static final Configuration JSON = Configuration.builder().jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider()).options(Option.SUPPRESS_EXCEPTIONS).build();

    private final ProbabilisticMatcher matcher = new ProbabilisticMatcher(MatchSettings.defaults());
    private final ValueExpressions expressions = new ValueExpressions("US", JSON);
    private List<Map<String, String>> observed;
    private List<Explanation> explanations;
    private List<ValueExpression> mapping;
    private Object event;
    private int next;

    @Setup
    public void setUp() {
        observed = new ArrayList<>();
        explanations = new ArrayList<>();
        List<PersonAttributes> people = new ArrayList<>();
        for (Map<String, String> row : SyntheticPeople.generate(7, 2_000)) {
            Map<String, String> values = new HashMap<>(row);
            values.keySet().retainAll(PersonAttributes.MATCH_ATTRIBUTES);
            observed.add(values);
            people.add(PersonAttributes.fromColumns(row, "GB"));
        }
        for (int i = 0; i + 1 < people.size(); i++) {
            explanations.add(matcher.explain(people.get(i), Candidate.of(i, List.of(people.get(i + 1)))));
        }
        mapping = new ArrayList<>();
        for (String e : new String[] {"$.data.object.email || $.email", "$.data.object.name | first-name",
                "$.data.object.name | last-name", "$.data.object.phone | e164", "$.data.object.metadata.company",
                "$.data.object.address.city", "$.data.object.address.postal_code", "$.data.object.utm_source",
                "$.data.object.utm_campaign || $.utm_campaign", "$.created | epoch-seconds", "$.data.object.id", "$.type"}) {
            mapping.add(ValueExpression.parse(e));
        }
        event = JSON.jsonProvider().parse("{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"created\":1714557600,"
                + "\"data\":{\"object\":{\"id\":\"cus_1\",\"email\":\"ann.lee@example.com\",\"name\":\"Ann Lee\","
                + "\"phone\":\"+1 415 555 2671\",\"metadata\":{\"company\":\"Acme Inc\"},"
                + "\"address\":{\"city\":\"San Francisco\",\"postal_code\":\"94105\"}}}}");
    }

    private int next(int size) {
        next = (next + 1) % size;
        return next;
    }

    /** A candidate touchpoint's match record from its observed values (fresh strings, as read from the database). */
    @Benchmark
    public PersonAttributes candidateRecord() {
        Map<String, String> values = new HashMap<>();
        observed.get(next(observed.size())).forEach((k, v) -> values.put(k, new String(v)));
        return PersonAttributes.fromAttributes("1", values, "web", "GB");
    }

    /** The JSON stored with every match decision. */
    @Benchmark
    public String explanationJson() {
        return explanations.get(next(explanations.size())).toJson();
    }

    /** Reads twelve mapped values (plain paths, transforms, one alternative missing) from a parsed event. */
    @Benchmark
    public Object mapEvent() {
        Object last = null;
        for (ValueExpression e : mapping) {
            last = expressions.evaluate(e, event, event);
        }
        return last;
    }
}
