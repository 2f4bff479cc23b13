package org.touchpointhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness as a user runs it, with tiny numbers: {@code java -jar target/touchpoint-hub.jar bench} prints
 * the ceilings and the hub's table with sane values, and leaves no child process and no work folder behind.
 */
class BenchProcessTests {

    @TempDir
    Path dir;

    @Test // #7
    void benchPrintsTheTableWithSaneValuesAndStopsEveryChild() throws Exception {
        Path jar = Path.of("target", "touchpoint-hub.jar").toAbsolutePath();
        Path out = dir.resolve("bench.out");

        Process bench = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "bench", "--events=200", "--warmup=100", "--warmup-rounds=2", "--clients=4", "--max-seconds=60",
                "--preload=300")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean finished = bench.waitFor(170, TimeUnit.SECONDS);
        if (!finished) {
            bench.descendants().forEach(ProcessHandle::destroyForcibly);
            bench.destroyForcibly();
        }
        String text = Files.readString(out);

        assertThat(finished).as("bench finished; output:%n%s", text).isTrue();
        assertThat(bench.exitValue()).as(text).isZero();
        assertThat(text).contains("### Bare ceilings", "HTTP → persistent Artemis send", "JDBC durable upserts", "### Hub");
        double[] row = hubRow(text);
        assertThat(text).contains("### Preload", "| 0 → 300 |");
        assertThat(row[0]).as("customers preloaded").isEqualTo(300);
        assertThat(row[3]).as("sent").isEqualTo(200);
        assertThat(row[4]).as("accepted/s").isPositive();
        assertThat(row[5]).as("202 p50").isPositive().isLessThanOrEqualTo(row[7]);
        assertThat(row[8]).as("processed/s").isPositive();
        assertThat(row[9]).as("webhook→CRM p50").isPositive().isLessThanOrEqualTo(row[11]);
        assertThat(row[12]).as("Salesforce API calls per 1,000 touchpoints").isPositive().isLessThan(200);
        // a Composite call carries up to 5 sObject Collections batches of 200 records each
        assertThat(row[13]).as("records per call").isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(1000);
        assertThat(row[14]).as("heap peak MiB").isPositive().isLessThan(512);
        assertThat(row[15]).as("RSS peak MiB").isGreaterThan(row[14]);
        String[] cells = hubCells(text);
        // the load's fuzzy variants of preloaded people went down the probabilistic path: merge / review / new
        long probabilistic = Arrays.stream(cells[22].trim().replace(",", "").split(" / ")).mapToLong(Long::parseLong).sum();
        assertThat(probabilistic).as("probabilistic decisions: %s", cells[22]).isPositive();
        assertThat(Double.parseDouble(cells[23].trim().replace(",", ""))).as("deterministic decisions").isPositive();
        assertThat(Double.parseDouble(cells[24].trim())).as("load generator CPU s per 1,000 requests").isPositive();
        // the warm-up ran in rounds, each saying how much the hub's JIT compiler took, until settled or at most 2
        assertThat(text).contains("warming up the hub with 100 events (round 1)");
        // warmed after the first preload, so its repeat and fuzzy visitors of preloaded people run in the warm-up too
        assertThat(text).contains("preloaded 300 customers", "measuring: 300 customers preloaded");
        assertThat(text.indexOf("warming up the hub")).as(text).isGreaterThan(text.indexOf("preloaded 300 customers"))
                .isLessThan(text.indexOf("measuring: 300 customers preloaded"));
        Matcher round1 = Pattern.compile("round 1: \\d+ accepted/s, \\d+ processed/s; JIT compilation \\d+\\.\\d s in "
                + "\\d+\\.\\d s \\((\\d+\\.\\d) % of one core\\)").matcher(text);
        assertThat(round1.find()).as(text).isTrue();
        // a second round when the first had not settled below --jit-settled (10 %), none when it had; never a third
        double share = Double.parseDouble(round1.group(1));
        if (share >= 10.1 || share < 9.9) {
            assertThat(text.contains("(round 2)")).as(text).isEqualTo(share >= 10.1);
        }
        assertThat(text).doesNotContain("(round 3)");
        // each bare endpoint was warmed up the same way before its ceiling was measured: one or two rounds each
        Matcher bareRounds = Pattern.compile("warm-up round (\\d+): \\d+ requests/s; JIT compilation \\d+\\.\\d % of one core")
                .matcher(text);
        List<Integer> bareRound = new java.util.ArrayList<>();
        while (bareRounds.find()) {
            bareRound.add(Integer.parseInt(bareRounds.group(1)));
        }
        assertThat(bareRound).as(text).hasSizeBetween(2, 4).containsOnly(1, 2);
        assertThat(bareRound.stream().filter(r -> r == 1).count()).as("two bare servers warmed up").isEqualTo(2);
        assertThat(Double.parseDouble(cells[25].trim())).as("JIT compilation s per 1,000 events").isGreaterThanOrEqualTo(0);
        Matcher pids = Pattern.compile("bench: stopped child processes \\[([0-9, ]*)]").matcher(text);
        assertThat(pids.find()).as(text).isTrue();
        List<Long> children = Arrays.stream(pids.group(1).split(", ")).map(Long::parseLong).toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(3);
        assertThat(children).as("child processes still alive")
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        Matcher work = Pattern.compile("work folder (\\S+);").matcher(text);
        assertThat(work.find()).isTrue();
        assertThat(Path.of(work.group(1))).doesNotExist();
    }

    /** The cells of the first data row of the hub's table. */
    private static String[] hubCells(String text) {
        String table = text.substring(text.indexOf("### Hub"));
        String line = table.lines().filter(l -> l.matches("^\\| [0-9,]+ \\|.*")).findFirst().orElseThrow();
        return line.substring(1, line.length() - 1).split("\\|");
    }

    /** The numbers of the first data row of the hub's table (the CPU cell "a + b" gives a). */
    private static double[] hubRow(String text) {
        String[] cells = hubCells(text);
        double[] values = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].trim().replace(",", "").split(" ")[0];
            values[i] = cell.matches("-?[0-9.]+") ? Double.parseDouble(cell) : Double.NaN;
        }
        return values;
    }
}
