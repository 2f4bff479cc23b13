package org.touchpointhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.touchpointhub.enrich.PhoneNumbers;

/** The benchmark's population: reproducible, unique identity keys, and phones the hub treats as personal. */
class PeopleTests {

    @Test // #7
    void aPersonIsTheSameForTheSameSeedAndNumber() {
        assertThat(People.person(42, 123_456)).isEqualTo(People.person(42, 123_456));
        assertThat(People.person(43, 123_456)).isNotEqualTo(People.person(42, 123_456));
    }

    @Test // #7
    void emailsAndPhonesAreUniqueAcrossPreloadAndLoadNumbers() {
        Set<String> emails = new HashSet<>();
        Set<String> phones = new HashSet<>();
        int[] numbers = IntStream.concat(IntStream.range(0, 20_000), IntStream.range(Preload.MAX_PRELOAD, Preload.MAX_PRELOAD + 20_000))
                .toArray();
        for (int n : numbers) {
            People.Person p = People.person(42, n);
            assertThat(emails.add(p.email())).as("e-mail of person %d is unique", n).isTrue();
            assertThat(phones.add(p.phone())).as("phone of person %d is unique", n).isTrue();
        }
    }

    @Test // #7
    void phonesAreValidPersonalNumbersSoTheyDecideIdentity() {
        for (int n = 0; n < People.MAX_PEOPLE; n += 99_991) {
            assertThat(PhoneNumbers.isMobile(People.person(42, n).phone(), "US")).as("person %d", n).isTrue();
        }
    }

    @Test // #7
    void namesRepeatAsInARealStoreWhileKeysStayUnique() {
        long distinctNames = IntStream.range(0, 50_000).mapToObj(n -> People.person(42, n).fullName()).distinct().count();
        assertThat(distinctNames).as("distinct full names among 50,000 people").isBetween(5_000L, 45_000L);
    }

    @Test // #7
    void aNumberOutsideThePopulationIsRefused() {
        assertThatThrownBy(() -> People.person(42, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> People.person(42, People.MAX_PEOPLE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the population has 8000000 people");
    }
}
