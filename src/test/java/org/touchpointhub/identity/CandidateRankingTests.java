package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandidateRankingTests {

    @Test // #6
    void mostSharedKeysFirstThenTheOlderCustomer() {
        Map<Long, Integer> shared = new LinkedHashMap<>();
        shared.put(9L, 1);
        shared.put(7L, 4);
        shared.put(3L, 1);
        shared.put(5L, 4);
        shared.put(8L, 2);
        assertThat(CandidateRanking.strongest(shared, 3)).containsExactly(5L, 7L, 8L);
        assertThat(CandidateRanking.strongest(shared, 0)).containsExactly(5L, 7L, 8L, 3L, 9L);
        assertThat(CandidateRanking.strongest(shared, 10)).hasSize(5);
    }

    @Test // #6
    void theOrderRowsArriveInDoesNotChangeTheChoice() {
        Map<Long, Integer> a = new LinkedHashMap<>();
        Map<Long, Integer> b = new HashMap<>();
        for (long id = 1; id <= 200; id++) {
            a.put(id, (int) (id % 7));
        }
        for (long id = 200; id >= 1; id--) {
            b.put(id, (int) (id % 7));
        }
        assertThat(CandidateRanking.strongest(a, 20)).isEqualTo(CandidateRanking.strongest(b, 20))
                .allSatisfy(id -> assertThat(id % 7).isEqualTo(6));
    }

    @Test // #6
    void theTrueMatchAmongAFullBlockIsStillScored() {
        // a record's true match shares its name, postcode, city and company keys; a hundred others share one weak key
        Map<Long, Integer> shared = new HashMap<>();
        for (long id = 1; id <= 100; id++) {
            shared.put(id, 1);
        }
        shared.put(777L, 5);
        assertThat(CandidateRanking.strongest(shared, CandidateRanking.DEFAULT_LIMIT)).hasSize(20).startsWith(777L);
    }
}
