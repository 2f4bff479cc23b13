package org.touchpointhub.identity;

/** Resolves incoming persons to customers; implemented in memory here and over PostgreSQL by the pipeline. */
public interface IdentityEngine {

    /** Returns the customer id the person belongs to, creating a customer when it is new. */
    long resolve(PersonAttributes row);

    /** Returns the customer an id stands for now (itself, or the customer it was merged into later). */
    default long current(long customerId) {
        return customerId;
    }
}
