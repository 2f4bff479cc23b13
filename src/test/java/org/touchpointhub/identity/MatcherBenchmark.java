package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * JMH micro-benchmarks of the matcher's CPU work per incoming record, without the store: blocking keys, scoring one
 * record against a full block of candidates, and the person normalization before it. They show what one event
 * costs in the JVM; the bench command shows the whole hub.
 *
 * <p>Run (from the project folder):
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.openjdk.jmh.Main MatcherBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatcherBenchmark {

    private final ProbabilisticMatcher matcher = new ProbabilisticMatcher(MatchSettings.defaults());
    private final org.touchpointhub.enrich.Normalizer normalizer = new org.touchpointhub.enrich.Normalizer("GB");
    private List<PersonAttributes> incoming;
    private List<org.touchpointhub.canonical.PersonFacts> raw;
    private List<Candidate> block;
    private int next;

    @Setup
    public void setUp() {
        List<Map<String, String>> rows = SyntheticPeople.generate(7, 2_000);
        incoming = new ArrayList<>();
        raw = new ArrayList<>();
        for (Map<String, String> row : rows) {
            incoming.add(PersonAttributes.fromColumns(row, "GB"));
            Map<String, String> attributes = new java.util.LinkedHashMap<>(row);
            attributes.keySet().retainAll(Set.of("first_name", "last_name", "email", "phone", "company", "city"));
            raw.add(new org.touchpointhub.canonical.PersonFacts(attributes, Map.of()));
        }
        // a full block: maxBlock (50) candidates, each with a few records, as IdentityResolver loads them
        block = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            block.add(Candidate.of(c, incoming.subList(c * 3, c * 3 + 3)));
        }
    }

    private int next() {
        next = (next + 1) % incoming.size();
        return next;
    }

    /** Blocking keys of one record (what the store is searched with). */
    @Benchmark
    public Set<String> blockingKeys() {
        return BlockingKeys.of(incoming.get(next()));
    }

    /** Scores one record against a full block of 50 candidates and decides. */
    @Benchmark
    public MatchDecision decideAgainstFullBlock() {
        return matcher.decide(incoming.get(next()), block);
    }

    /** Normalizes one person as the pipeline does before matching (names, email, phone with libphonenumber). */
    @Benchmark
    public org.touchpointhub.canonical.PersonFacts normalizePerson() {
        return normalizer.person(raw.get(next()));
    }
}
