package org.touchpointhub.identity;

/** The outcome for one incoming person: merge into a customer, link a possible duplicate for review, or a new customer. */
public sealed interface MatchDecision permits MatchDecision.Merge, MatchDecision.Review, MatchDecision.NoMatch {

    /** Returns why the decision was taken. */
    Explanation explanation();

    /**
     * The incoming person is this customer.
     *
     * @param customerId the customer to merge into
     * @param explanation the evidence
     */
    record Merge(long customerId, Explanation explanation) implements MatchDecision {
    }

    /**
     * The incoming person may be this customer; a person decides.
     *
     * @param customerId the possible duplicate
     * @param explanation the evidence
     */
    record Review(long customerId, Explanation explanation) implements MatchDecision {
    }

    /**
     * The incoming person is a new customer.
     *
     * @param explanation the evidence against the best candidate, if any
     */
    record NoMatch(Explanation explanation) implements MatchDecision {
    }
}
