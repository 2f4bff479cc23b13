package org.touchpointhub.crm;

import java.util.List;

/**
 * The CRM cannot take writes now (rate or daily limit, 5xx, time-out, refused connection, failed login): back off
 * and try again; never dead-letter for this.
 */
public class CrmUnavailable extends RuntimeException {

    private final int status;
    private final List<String> codes;

    public CrmUnavailable(String message, int status, List<String> codes, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.codes = List.copyOf(codes);
    }

    /** The HTTP status the CRM answered, or 0 when it did not answer (time-out, refused connection). */
    public int status() {
        return status;
    }

    /** The CRM's error codes, e.g. {@code REQUEST_LIMIT_EXCEEDED}. */
    public List<String> codes() {
        return codes;
    }
}
