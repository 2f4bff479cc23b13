package org.touchpointhub.ingest;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses with the hub's stable problem types. */
public final class Problems {

    /** Base of every problem type URI; the last segment is the stable slug, e.g. {@code bad-signature}. */
    public static final String TYPE_BASE = "https://touchpointhub.org/problems/";

    private Problems() {
    }

    /** A problem response with a stable type slug, a title and a detail that names the problem. */
    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
