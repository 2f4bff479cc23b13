package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path of folding (a value already folded is returned as is) never changes what folding means. */
class TextTests {

    private static final String ALPHABET = "abcXYZ09 éøßÆł-_.,'  \t\u0301\u200bİıﬁ";

    @Test // #7
    void aValueTakenAsAlreadyFoldedIsOneTheFullFoldingLeavesUnchangedAndFoldingIsIdempotent() {
        Random random = new Random(7);
        int fastPath = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String value = sb.toString();
            if (Text.isFolded(value)) {
                fastPath++;
                assertThat(Text.foldUnicode(value)).as("'%s'", value).isEqualTo(value);
            }
            String folded = Text.fold(value);
            assertThat(Text.isFolded(folded)).as("'%s' -> '%s'", value, folded).isTrue();
            assertThat(Text.fold(folded)).isEqualTo(folded);
        }
        assertThat(fastPath).isGreaterThan(100);
        assertThat(Text.fold("  José-María ")).isEqualTo("jose maria");
        assertThat(Text.isFolded("jose  maria")).isFalse();
    }
}
