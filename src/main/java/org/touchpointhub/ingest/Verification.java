package org.touchpointhub.ingest;

/** The outcome of checking a webhook's signature or shared secret. */
public sealed interface Verification {

    /** The sender proved it holds the secret. */
    record Verified() implements Verification {}

    /**
     * The request is refused.
     *
     * @param reason what was wrong, as a stable reason (maps to the problem type and HTTP status)
     * @param detail human-readable detail for the problem body; never contains the secret or the expected signature
     */
    record Refused(Reason reason, String detail) implements Verification {}

    /** Why a request was refused. */
    enum Reason {
        /** No signature, token or credentials where the scheme expects them: 401. */
        MISSING_SIGNATURE,
        /** A signature, token or credentials that do not match: 401. */
        BAD_SIGNATURE,
        /** A signed timestamp outside the tolerance: 400. */
        STALE_TIMESTAMP,
        /** A signed token or message id seen before within the tolerance (a replay): 401. */
        REPLAYED
    }

    /** The outcome for a request whose sender proved it holds the secret. */
    static Verification verified() {
        return new Verified();
    }

    /** The outcome for a refused request; the detail must never contain the secret or the expected signature. */
    static Verification refused(Reason reason, String detail) {
        return new Refused(reason, detail);
    }
}
