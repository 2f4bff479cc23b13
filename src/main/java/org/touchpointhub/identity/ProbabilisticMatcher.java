package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.List;

/*
 * Design. Identity resolution runs in two stages, as in ARCHITECTURE.md (Identity):
 *  1. Deterministic keys (normalized e-mail match key, personal mobile in E.164, external ids) are looked up under
 *     unique constraints by the pipeline; a hit is the customer, no scoring.
 *  2. Otherwise BlockingKeys gives a handful of strings per record; the store indexes them, so the candidates of
 *     one record are the customers sharing a key, and cost per record stays flat as the store grows.
 *     This matcher scores each candidate with Fellegi–Sunter: every Comparison yields a level, each level a
 *     weight log2(m/u), summed with the prior weight. A candidate holds all values observed for the customer; the
 *     best level over them counts, so a customer who changed e-mail or job still matches either.
 *     The best candidate decides: merge at or above the merge probability, review link at or above the review
 *     probability, otherwise a new customer. Every outcome carries an Explanation that the pipeline stores.
 * Parameters (m, u, prior) are documented priors by default (MatchSettings.defaults) and are re-estimated from the
 * store with EmEstimator; thresholds are probabilities, so they keep their meaning when weights change.
 */

/** Scores blocked candidates for one incoming person with Fellegi–Sunter weights and decides merge, review or new. */
public final class ProbabilisticMatcher {
    private final MatchSettings settings;

    /** Creates a matcher with the given weights and thresholds. */
    public ProbabilisticMatcher(MatchSettings settings) {
        this.settings = settings;
    }

    /** Returns the settings in force. */
    public MatchSettings settings() {
        return settings;
    }

    /** Decides what the incoming person is with respect to the candidates, with the evidence for the best one. */
    public MatchDecision decide(PersonAttributes incoming, List<Candidate> candidates) {
        Explanation best = null;
        for (Candidate candidate : candidates) {
            Explanation e = explain(incoming, candidate);
            if (best == null || e.total() > best.total()) {
                best = e;
            }
        }
        if (best == null) {
            return new MatchDecision.NoMatch(new Explanation(null, List.of(), settings.priorWeight(),
                    settings.priorWeight(), settings.prior(), "NO_MATCH"));
        }
        if (best.total() >= settings.mergeWeight()) {
            return new MatchDecision.Merge(best.customerId(), relabel(best, "MERGE"));
        }
        if (best.total() >= settings.reviewWeight()) {
            return new MatchDecision.Review(best.customerId(), relabel(best, "REVIEW"));
        }
        return new MatchDecision.NoMatch(relabel(best, "NO_MATCH"));
    }

    /** Returns the comparison levels (-1 for missing) of the incoming person against one candidate. */
    public static int[] levels(PersonAttributes incoming, Candidate candidate) {
        Comparison[] all = Comparison.values();
        int[] levels = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            levels[i] = all[i].bestLevel(incoming.value(all[i].field()), candidate.values(all[i].field()));
        }
        // Given and family name are often entered in each other's field; score the swap when it agrees better.
        int f = Comparison.FIRST_NAME.ordinal();
        int l = Comparison.LAST_NAME.ordinal();
        int swappedFirst = Comparison.FIRST_NAME.bestLevel(incoming.lastName(), candidate.values(Field.FIRST_NAME));
        int swappedLast = Comparison.LAST_NAME.bestLevel(incoming.firstName(), candidate.values(Field.LAST_NAME));
        // Take the swap when one side agrees exactly and the other at least similarly, and it beats the straight reading.
        int lastDifferent = Comparison.LAST_NAME.levels().size() - 1;
        if (levels[f] >= 0 && levels[l] >= 0 && swappedFirst >= 0 && swappedLast >= 0
                && (swappedFirst == 0 || swappedLast == 0) && swappedLast < lastDifferent
                && swappedFirst < Comparison.FIRST_NAME.levels().size() - 1
                && swappedFirst + swappedLast < levels[f] + levels[l]) {
            levels[f] = swappedFirst;
            levels[l] = swappedLast;
        }
        return levels;
    }

    /** Scores one candidate and explains the score. */
    public Explanation explain(PersonAttributes incoming, Candidate candidate) {
        int[] levels = levels(incoming, candidate);
        List<Explanation.ComparisonResult> results = new ArrayList<>();
        double total = settings.priorWeight();
        Comparison[] all = Comparison.values();
        for (int i = 0; i < all.length; i++) {
            if (levels[i] < 0) {
                results.add(new Explanation.ComparisonResult(all[i].name(), "missing", 0));
                continue;
            }
            double w = settings.weight(all[i], levels[i]);
            total += w;
            results.add(new Explanation.ComparisonResult(all[i].name(), all[i].levels().get(levels[i]), w));
        }
        // Organisation mode: a record without a person's name is an account or site. Sites of one organisation share
        // its name, phone and e-mail domain, so for them a different street means a different site: never a merge.
        int street = Comparison.STREET.ordinal();
        if (isOrganisation(incoming) && levels[street] == Comparison.STREET.levels().size() - 1 && total >= settings.mergeWeight()) {
            double capped = Math.nextDown(settings.mergeWeight());
            results.add(new Explanation.ComparisonResult("ORGANISATION_SITE", "different_street", capped - total));
            total = capped;
        }
        // Households: the same surname at the same address with another given name, and no personal identifier (date
        // of birth, e-mail) agreeing, is a household member: a link for a person to see, never a merge, however much
        // else (landline, company) agrees.
        int first = Comparison.FIRST_NAME.ordinal();
        int last = Comparison.LAST_NAME.ordinal();
        int dob = Comparison.DOB.ordinal();
        int email = Comparison.EMAIL.ordinal();
        boolean personalAgreement = (levels[dob] >= 0 && levels[dob] <= 1) || (levels[email] >= 0 && levels[email] <= 1);
        if (levels[first] == Comparison.FIRST_NAME.levels().size() - 1 && levels[last] == 0 && !personalAgreement
                && ((levels[street] >= 0 && levels[street] <= 1) || levels[Comparison.POSTCODE.ordinal()] == 0)
                && total >= settings.mergeWeight()) {
            double capped = Math.nextDown(settings.mergeWeight());
            results.add(new Explanation.ComparisonResult("HOUSEHOLD", "same_surname_and_address_other_given_name", capped - total));
            total = capped;
        }
        // Two addresses: when both records state an e-mail and they are different addresses (not a typo of one
        // another), the name alone cannot tell "the same person with a second address" from "another person with the
        // same name" (colleagues, namesakes). Unless the phone agrees exactly, a person decides: review, never merge.
        int phone = Comparison.PHONE.ordinal();
        if (levels[email] >= 2 + 1 && levels[phone] != 0 && total >= settings.mergeWeight()) {
            double capped = Math.nextDown(settings.mergeWeight());
            results.add(new Explanation.ComparisonResult("TWO_ADDRESSES", "different_email_addresses", capped - total));
            total = capped;
        }
        // Organisation mode, name only: when the company name is the only thing both records state, the name is the
        // organisation's identifier (as a CRM's account-name duplicate rule treats it). The same name, or one name
        // wholly contained in the other, merges; a merely similar name goes to review.
        int company = Comparison.COMPANY.ordinal();
        // A record with a personal mailbox (not info@ or sales@) is a person whose name was not given, not an account:
        // the company name alone never merges it.
        boolean personalMailbox = !incoming.email().isEmpty()
                && !org.touchpointhub.enrich.EmailAddresses.isRoleAccount(incoming.email());
        if (isOrganisation(incoming) && !personalMailbox && levels[company] >= 0 && onlyCompared(levels, company)) {
            double wanted = levels[company] <= 1 ? settings.mergeWeight() : levels[company] == 2 ? settings.reviewWeight() : total;
            if (wanted > total) {
                results.add(new Explanation.ComparisonResult("ORGANISATION_NAME", "name_is_the_only_evidence", wanted - total));
                total = wanted;
            }
        }
        double probability = 1 / (1 + Math.pow(2, -total));
        return new Explanation(candidate.customerId(), results, settings.priorWeight(), total, probability, "");
    }

    private static boolean isOrganisation(PersonAttributes p) {
        return p.firstName().isEmpty() && p.lastName().isEmpty() && !p.company().isEmpty();
    }

    private static boolean onlyCompared(int[] levels, int index) {
        for (int i = 0; i < levels.length; i++) {
            if (i != index && levels[i] >= 0) {
                return false;
            }
        }
        return true;
    }

    private static Explanation relabel(Explanation e, String decision) {
        return new Explanation(e.customerId(), e.comparisons(), e.priorWeight(), e.total(), e.probability(), decision);
    }
}
