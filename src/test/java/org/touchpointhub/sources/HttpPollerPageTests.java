package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@link HttpPollerPage} builds a sweep's first URL from an admin's plain URL and the stored cursor. */
class HttpPollerPageTests {

    @Test // #5
    void plainQueryValuesAreEncodedAndTheCursorReplacesAnyWrittenOne() {
        // given a URL written as an admin would, with a URI as a value and a stale cursor parameter
        String url = "https://api.calendly.com/scheduled_events?organization=https://api.calendly.com/organizations/ABC"
                + "&count=100&min_start_time=2020-01-01T00:00:00Z";

        // when the cursor is added
        String first = HttpPollerPage.withQuery(url, "min_start_time", "2026-05-01T10:00:00.123Z");

        // then every value is encoded once and the stored cursor wins
        assertThat(first).isEqualTo("https://api.calendly.com/scheduled_events?organization=https%3A%2F%2Fapi.calendly.com"
                + "%2Forganizations%2FABC&count=100&min_start_time=2026-05-01T10%3A00%3A00.123Z");
        assertThat(HttpPollerPage.withQuery("http://127.0.0.1:8080/items", null, "")).isEqualTo("http://127.0.0.1:8080/items");
    }
}
