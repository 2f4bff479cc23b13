package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatcherAndMetricsTests {
    private final ProbabilisticMatcher matcher = new ProbabilisticMatcher(MatchSettings.defaults());

    private static PersonAttributes person(String first, String last, String email, String dob, String city) {
        return PersonAttributes.fromColumns(Map.of("id", "x", "first_name", first, "last_name", last, "email", email,
                "dob", dob, "city", city), "GB");
    }

    @Test // #6
    void nicknameAndSameDobAndEmailMerge() {
        // given
        Candidate known = Candidate.of(7, List.of(person("William", "Smith", "bill.smith@acme.com", "1980-02-01", "Leeds")));
        // when
        MatchDecision d = matcher.decide(person("Bill", "Smith", "bill.smith@acme.com", "01/02/1980", "Leeds"), List.of(known));
        // then
        assertThat(d).isInstanceOf(MatchDecision.Merge.class);
        assertThat(((MatchDecision.Merge) d).customerId()).isEqualTo(7);
        assertThat(d.explanation().comparisons()).contains(new Explanation.ComparisonResult("FIRST_NAME", "nickname",
                MatchSettings.defaults().weight(Comparison.FIRST_NAME, 1)));
        assertThat(d.explanation().toJson()).contains("\"total\"").contains("\"level\":\"nickname\"");
    }

    @Test // #6
    void differentPersonIsNoMatchWithExplanation() {
        // given
        Candidate known = Candidate.of(7, List.of(person("Mary", "Jones", "mary@x.org", "1990-05-05", "York")));
        // when
        MatchDecision d = matcher.decide(person("Peter", "Jones", "pj@y.org", "1950-01-01", "Leeds"), List.of(known));
        // then
        assertThat(d).isInstanceOf(MatchDecision.NoMatch.class);
        assertThat(d.explanation().customerId()).isEqualTo(7L);
        assertThat(d.explanation().total()).isLessThan(MatchSettings.defaults().reviewWeight());
    }

    @Test // #6
    void aNamelessPersonWithAPersonalMailboxIsNotMergedIntoAnAccountByTheCompanyNameAlone() {
        // given an account known only by its name, and the same name on an organisation record
        Candidate account = Candidate.of(57, List.of(PersonAttributes.fromColumns(Map.of("id", "a", "company", "Acme"), "GB")));
        PersonAttributes nameless = PersonAttributes.fromColumns(Map.of("id", "p", "company", "Acme",
                "email", "mixed.case@example.com", "phone", "+14155550100"), "GB");
        PersonAttributes site = PersonAttributes.fromColumns(Map.of("id", "s", "company", "ACME", "email", "info@acme.com"), "GB");
        // when
        MatchDecision person = matcher.decide(nameless, List.of(account));
        MatchDecision organisation = matcher.decide(site, List.of(account));
        // then the person stays apart; an organisation record (role mailbox) still merges by its name
        assertThat(person).isNotInstanceOf(MatchDecision.Merge.class);
        assertThat(person.explanation().toJson()).doesNotContain("ORGANISATION_NAME");
        assertThat(organisation).isInstanceOf(MatchDecision.Merge.class);
    }

    @Test // #6
    void metricsOnHandCheckedClusters() {
        // given truth {a,b,c} {d}; predicted {a,b} {c,d}
        List<String> truth = List.of("1", "1", "1", "2");
        List<String> predicted = List.of("x", "x", "y", "y");
        // when
        EvaluationMetrics m = EvaluationMetrics.of(predicted, truth);
        // then pairs: predicted ab, cd; true ab, ac, bc -> TP 1
        assertThat(m.pairPrecision()).isEqualTo(0.5);
        assertThat(m.pairRecall()).isEqualTo(1.0 / 3);
        // B-cubed precision: a 1, b 1, c 1/2, d 1/2 -> 0.75; recall: a 2/3, b 2/3, c 1/3, d 1 -> 2/3
        assertThat(m.bcubedPrecision()).isEqualTo(0.75);
        assertThat(m.bcubedRecall()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test // #6
    void csvReaderHandlesQuotedNewlines() {
        // given
        String csv = "id,company\n1,\"Acme\nInc, \"\"HQ\"\"\"\n2,Beta\n";
        // when
        List<Map<String, String>> rows = EvaluationCsv.read(new java.io.StringReader(csv));
        // then
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("company")).isEqualTo("Acme\nInc, \"HQ\"");
    }
}
