package org.touchpointhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The load's mix: exact repeats and fuzzy variants of preloaded people, the load's own people, re-sent events. */
class LoadPopulationTests {

    private static final int EVENTS = 4_000;

    @Test // #7
    void withAPreloadTheMixHasExactRepeatsFuzzyVariantsAndTheLoadsOwnPeople() {
        var population = new LoadGenerator.Population(1_000, 42, "whsec_x", 0.05, 10_000, 0.25, 0.25);
        int repeats = 0;
        int variants = 0;
        int own = 0;
        for (int i = 0; i < EVENTS; i++) {
            var said = population.said("r", i);
            if (said.person().n() >= Preload.MAX_PRELOAD) {
                own++;
                assertThat(said.fuzzy()).isFalse();
            } else if (said.fuzzy()) {
                variants++;
                assertThat(said.person().n()).isLessThan(10_000);
            } else {
                repeats++;
                assertThat(said.email()).isEqualTo(said.person().email());
            }
        }
        assertThat(repeats).isBetween(EVENTS / 5, EVENTS * 3 / 10);
        assertThat(variants).isBetween(EVENTS / 5, EVENTS * 3 / 10);
        assertThat(own).isBetween(EVENTS * 2 / 5, EVENTS * 3 / 5);
    }

    @Test // #7
    void aFuzzyVariantSharesNoIdentityKeyWithItsPerson() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 500; n++) {
            People.Person p = People.person(Preload.SEED, n);
            var v = LoadGenerator.Population.variant(p, "r", n, r);
            assertThat(v.email()).isNotEqualTo(p.email()).endsWith("@mail.example");
            assertThat(v.phone()).isNull();
            assertThat(v.last().length()).isEqualTo(p.last().length());
            assertThat(v.fuzzy()).isTrue();
        }
    }

    @Test // #7
    void aReSentEventIsTheSameRequestAndAShareOfRequestsAreReSent() {
        var population = new LoadGenerator.Population(1_000, 42, "whsec_x", 0.05, 0, 0.25, 0.25);
        int resent = 0;
        for (int i = 0; i < EVENTS; i++) {
            int original = population.original(i);
            assertThat(original).isLessThanOrEqualTo(i);
            resent += original == i ? 0 : 1;
        }
        assertThat(resent).isBetween(EVENTS / 40, EVENTS / 10);
    }

    @Test // #7
    void requestsAreSignedForTheirConnector() {
        var population = new LoadGenerator.Population(1_000, 42, "whsec_x", 0, 0, 0.25, 0.25);
        var typeform = population.request("r", 0, "tf-secret", "wf-token");
        assertThat(typeform.pathAndQuery).isEqualTo("/hooks/typeform");
        assertThat(typeform.signature()).startsWith("sha256=");
        var webform = population.request("r", 1, "tf-secret", "wf-token");
        assertThat(webform.pathAndQuery).isEqualTo("/hooks/webform?token=wf-token");
        assertThat(new String(webform.body, StandardCharsets.UTF_8)).contains("first_name=", "company=");
        var stripe = population.request("r", 2, "tf-secret", "wf-token");
        assertThat(stripe.pathAndQuery).isEqualTo("/hooks/stripe");
        assertThat(stripe.signature()).matches("t=[0-9]+,v1=[0-9a-f]{64}");
    }

    @Test // #7
    void sharesThatCannotAddUpAreRefused() {
        assertThatThrownBy(() -> new LoadGenerator.Population(10, 42, "", 0, 0, 0.7, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeat + fuzzy at most 1");
        assertThatThrownBy(() -> new LoadGenerator.Population(0, 42, "", 0, 0, 0.25, 0.25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("people must be positive");
    }
}
