package org.touchpointhub.evaluate;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.touchpointhub.identity.Converters;
import org.touchpointhub.identity.Evaluation;
import org.touchpointhub.identity.EvaluationCsv;

/**
 * {@code java -jar touchpoint-hub.jar evaluate --in FILE.csv --out clusters.csv [--truth COLUMN]
 * [--format input|febrl|splink-fake-1000|dedupe-csv-example|dedupe-patstat] [--reference FILE] [--em=false]
 * [--convert-to FILE] [--name=value ...]}: boots the hub without its web server and without starting its routes,
 * on a fresh temporary data folder unless {@code --hub.data-dir} is given, feeds every row through the live
 * pipeline, writes {@code row_id,customer_id} and, with a truth column, prints pairwise and B-cubed scores and
 * records per second. {@code --format} converts a shared labelled set on the fly (its truth column is
 * {@code truth}); {@code --convert-to} writes the converted input instead of evaluating.
 */
public final class EvaluateCommand {

    private EvaluateCommand() {
    }

    /** Runs the command; args[0] is {@code evaluate}. Returns the process exit code. */
    public static int run(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> springArgs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String name = a.startsWith("--") ? a.substring(2, a.contains("=") ? a.indexOf('=') : a.length()) : a;
            if (List.of("in", "out", "truth", "format", "reference", "em", "convert-to").contains(name)) {
                options.put(name, a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : "");
            } else {
                springArgs.add(a);
            }
        }
        if (!options.containsKey("in") || (!options.containsKey("out") && !options.containsKey("convert-to"))) {
            System.err.println("usage: evaluate --in FILE.csv --out clusters.csv [--truth COLUMN] [--format FORMAT] "
                    + "[--reference FILE] [--em=false] [--convert-to FILE] [--name=value ...]");
            return 2;
        }
        List<Map<String, String>> rows = convert(options.getOrDefault("format", "input"), read(Path.of(options.get("in"))),
                options.containsKey("reference") ? read(Path.of(options.get("reference"))) : List.of());
        if (options.containsKey("convert-to")) {
            writeRows(Path.of(options.get("convert-to")), rows);
            return 0;
        }
        Path temp = null;
        if (springArgs.stream().noneMatch(a -> a.startsWith("--hub.data-dir="))) {
            try {
                temp = Files.createTempDirectory("hub-evaluate-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            springArgs.add("--hub.data-dir=" + temp);
        }
        String truth = options.get("truth");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(org.touchpointhub.TouchpointHub.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.web-application-type=none", "camel.main.auto-startup=false",
                        "spring.main.banner-mode=off")
                .run(springArgs.toArray(String[]::new))) {
            StoreEvaluation evaluation = context.getBean(StoreEvaluation.class);
            if (temp != null) {
                evaluation.relaxDurabilityOfThrowawayStore();
            }
            Evaluation.Report report = evaluation.run(rows, truth == null || truth.isBlank() ? null : truth, !"false".equals(options.get("em")));
            try (Writer out = Files.newBufferedWriter(Path.of(options.get("out")), StandardCharsets.UTF_8)) {
                EvaluationCsv.writeClusters(out, report.rowIds(), report.customerIds());
            }
            System.out.println(report.summary());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
        return 0;
    }

    /** Converts a shared labelled set into the evaluation input form (with a {@code truth} column). */
    static List<Map<String, String>> convert(String format, List<Map<String, String>> rows, List<Map<String, String>> reference) {
        switch (format) {
            case "input":
                return rows;
            case "febrl":
                return Converters.febrl(rows, "febrl");
            case "splink-fake-1000":
                return Converters.splinkFake1000(rows);
            case "dedupe-csv-example":
                return Converters.dedupeCsvExample(rows);
            case "dedupe-patstat":
                return Converters.dedupePatstat(rows, reference);
            default:
                throw new IllegalArgumentException("unknown --format '" + format
                        + "' (input | febrl | splink-fake-1000 | dedupe-csv-example | dedupe-patstat)");
        }
    }

    private static List<Map<String, String>> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return EvaluationCsv.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeRows(Path file, List<Map<String, String>> rows) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            EvaluationCsv.writeRows(out, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary folder left behind is harmless
        }
    }
}
