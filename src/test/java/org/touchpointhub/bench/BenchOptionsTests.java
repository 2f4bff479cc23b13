package org.touchpointhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The harness names a mistaken option at once instead of starting a long run without it. */
class BenchOptionsTests {

    @Test // #7
    void helpPrintsTheUsageAndRunsNothing() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Bench.main(new String[] {"--help"});
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("usage: java -jar target/touchpoint-hub.jar bench").contains("--preload=")
                .doesNotContain("bench: ");
    }

    @Test // #7
    void anUnknownOptionIsNamedBeforeAnythingStarts() {
        assertThatThrownBy(() -> Bench.main(new String[] {"--event=100"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option --event;")
                .hasMessageContaining("--events=");
    }

    @Test // #7
    void aPositionalArgumentIsRefused() {
        assertThatThrownBy(() -> Bench.main(new String[] {"100"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown argument '100'");
    }

    @Test // #7
    void warmUpOptionsOutOfRangeAreNamedBeforeAnythingStarts() {
        assertThatThrownBy(() -> Bench.main(new String[] {"--jit-settled=a lot"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--jit-settled must be a number, not 'a lot'");
        assertThatThrownBy(() -> Bench.main(new String[] {"--jit-settled=2"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--jit-settled must be between 0");
        assertThatThrownBy(() -> Bench.main(new String[] {"--warmup-rounds=-1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--warmup-rounds must be between 0");
    }
}
