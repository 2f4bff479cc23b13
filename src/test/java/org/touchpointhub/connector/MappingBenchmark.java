package org.touchpointhub.connector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.mapping.ValueExpression;

/**
 * JMH micro-benchmarks of mapping whole events through the shipped connector files ({@code connectors/typeform.yaml},
 * {@code connectors/stripe.yaml}), whose values are mostly filtered JSONPaths ({@code answers[?(@.type=='email')]},
 * {@code data.object[?(@.object == 'invoice')]}): what {@code EventMapper.map} costs a processing consumer per event,
 * body parsing included, and the Typeform person values alone on a parsed event.
 *
 * <p>Run (from the project folder, which holds {@code connectors/}):
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.openjdk.jmh.Main MappingBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MappingBenchmark {

    private final EventMapper mapper = new EventMapper("US");
    private ConnectorDefinition typeform;
    private ConnectorDefinition stripe;
    private InboundEnvelope typeformEvent;
    private InboundEnvelope stripeEvent;
    private Object typeformDocument;
    private List<ValueExpression> typeformPerson;

    @Setup
    public void setUp() throws IOException {
        typeform = connector("typeform");
        stripe = connector("stripe");
        typeformEvent = envelope("typeform", "/fixtures/typeform/form_response.docs-example-2018.json");
        stripeEvent = envelope("stripe", "/fixtures/stripe/event-invoice.paid.json");
        typeformDocument = EventMapper.document(typeformEvent);
        typeformPerson = new ArrayList<>(typeform.person().values());
        if (!(mapper.map(typeform, typeformEvent) instanceof MappingResult.Mapped)
                || !(mapper.map(stripe, stripeEvent) instanceof MappingResult.Mapped)) {
            throw new IllegalStateException("the benchmark events do not map");
        }
    }

    private static ConnectorDefinition connector(String id) throws IOException {
        List<String> problems = new ArrayList<>();
        String file = "connectors/" + id + ".yaml";
        ConnectorDefinition def = ConnectorFiles.parse(file, Files.readString(Path.of(file)), name -> "secret", 1 << 20,
                problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(file + ": " + problems);
        }
        return def;
    }

    private static InboundEnvelope envelope(String connector, String resource) throws IOException {
        try (InputStream in = MappingBenchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new InboundEnvelope(connector, "e-1", null, null, Instant.parse("2026-01-01T00:00:00Z"),
                    "application/json", in.readAllBytes());
        }
    }

    /** A Typeform form_response (12 answers) through typeform.yaml: nine filtered values, body parsing included. */
    @Benchmark
    public MappingResult typeformEvent() {
        return mapper.map(typeform, typeformEvent);
    }

    /** A Stripe invoice.paid through stripe.yaml: filters on {@code data.object}, body parsing included. */
    @Benchmark
    public MappingResult stripeEvent() {
        return mapper.map(stripe, stripeEvent);
    }

    /** Only typeform.yaml's person values on the parsed event (the JSONPath reads and their transforms). */
    @Benchmark
    public Object typeformPersonValues() {
        Object last = null;
        for (ValueExpression e : typeformPerson) {
            last = mapper.text(e, typeformDocument);
        }
        return last;
    }
}
