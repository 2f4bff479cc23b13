package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.touchpointhub.support.TestCalendlyApi;
import org.touchpointhub.support.TestCalendlyApi.Request;

/**
 * {@code routes/http-poller.yaml} through its Calendly instance {@code routes/calendly-poll.yaml}, against a local
 * stub of Calendly's API: pages become touchpoints, the cursor lives in PostgreSQL, a restart neither skips nor
 * repeats, and a failing API backs off without moving the cursor.
 */
class HttpPollerIntegrationTests extends SourcesTestSupport {

    private static final String ROUTE = "poll-calendly";

    @Autowired
    CamelContext camel;

    private final TestCalendlyApi api = TestCalendlyApi.get();

    @Test // #5
    void meetingsOnTwoPagesBecomeTouchpointsAndTheCursorIsStored() {
        // given three meetings (more than one page of the stub's two), one of them already canceled
        String booked = meeting("ada", "active", "google");
        String second = meeting("grace", "active", "newsletter");
        String canceled = meeting("edsger", "canceled", "linkedin");

        // when the poller sweeps
        await().atMost(WAIT).until(() -> touchpoints(booked) == 1 && touchpoints(second) == 1 && touchpoints(canceled) == 1);

        // then each invitee is a meeting touchpoint of its person, with Calendly's UTM parameters
        assertThat(types(awaitCustomer("email", email("ada", booked)))).containsExactly("meeting_booked");
        assertThat(types(awaitCustomer("email", email("edsger", canceled)))).containsExactly("meeting_canceled");
        assertThat(jdbc.queryForObject("select attributes->>'utm_source' from touchpoints where connector = 'calendly-poll' "
                + "and event_id like ?", String.class, "%" + second + "%")).isEqualTo("newsletter");
        // and the stub was asked for a second page, and the cursor is a sweep's start time in PostgreSQL
        assertThat(api.requests()).anyMatch(r -> r.query().containsKey("page_token"));
        await().atMost(WAIT).until(() -> cursor().isPresent());
        assertThat(Instant.parse(cursor().orElseThrow())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test // #5
    void aRestartResumesAtTheStoredCursorAndNeitherSkipsNorRepeats() throws Exception {
        // given a meeting the poller has queued, and the poller stopped
        String before = meeting("barbara", "active", "google");
        await().atMost(WAIT).until(() -> touchpoints(before) == 1);
        camel.getRouteController().stopRoute(ROUTE);
        awaitIdle();
        String stored = cursor().orElseThrow();
        long total = allTouchpoints();
        int seen = api.requests().size();

        // when a meeting is booked while it is stopped, and it starts again
        String during = meeting("frances", "active", "podcast");
        camel.getRouteController().startRoute(ROUTE);

        // then the new meeting arrives once, the old one is not repeated, and the first sweep used the stored cursor
        await().atMost(WAIT).until(() -> touchpoints(during) == 1);
        awaitIdle();
        assertThat(touchpoints(before)).isEqualTo(1);
        assertThat(allTouchpoints()).isEqualTo(total + 1);
        Request first = api.requests().subList(seen, api.requests().size()).stream()
                .filter(r -> r.path().equals("/scheduled_events")).findFirst().orElseThrow();
        assertThat(first.query()).containsEntry("min_start_time", stored);
    }

    @Test // #5
    void aFailingApiBacksOffAndKeepsTheCursor() {
        // given a poller with a stored cursor, and an API that answers 500
        await().atMost(WAIT).until(() -> cursor().isPresent());
        api.failing(true);
        try {
            int seen = api.requests().size();
            String stored = cursor().orElseThrow();
            String meanwhile = meeting("katherine", "active", "google");

            // when the poller has tried four times
            await().atMost(Duration.ofSeconds(15)).until(() -> failures(seen).size() >= 4);

            // then it waited longer each time, moved no cursor, queued nothing and wrote no dead letter
            List<Request> failed = failures(seen);
            long firstGap = failed.get(1).nanos() - failed.get(0).nanos();
            long laterGap = failed.get(3).nanos() - failed.get(2).nanos();
            assertThat(laterGap).isGreaterThan(firstGap);
            assertThat(Duration.ofNanos(laterGap)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(cursor()).contains(stored);
            assertThat(touchpoints(meanwhile)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from dead_letters where stage = 'source' and connector = 'calendly-poll'",
                    Long.class)).isZero();

            // and once the API answers again, the meeting arrives and the cursor moves on
            api.failing(false);
            await().atMost(WAIT).until(() -> touchpoints(meanwhile) == 1);
            await().atMost(WAIT).until(() -> !cursor().orElseThrow().equals(stored));
        } finally {
            api.failing(false);
        }
    }

    @Test // #5
    void theCalendlyPollerRunsOnlyOnTheLeader() {
        // given the hub started with the Calendly routes

        // when their route policies are read
        var poller = camel.getRoute(ROUTE).getRoutePolicyList();
        var invitees = camel.getRoute("expand-calendly-invitees").getRoutePolicyList();

        // then the timer route is leader-only (ClusteredRoutePolicy) and the direct: route it calls is not
        assertThat(poller).anyMatch(p -> p instanceof ClusteredRoutePolicy);
        assertThat(invitees).noneMatch(p -> p instanceof ClusteredRoutePolicy);
    }

    private String meeting(String who, String status, String utmSource) {
        String uuid = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 14).toUpperCase();
        Instant start = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        api.addMeeting(uuid, start, email(who, uuid), who, status, utmSource);
        return uuid;
    }

    private static String email(String who, String uuid) {
        return who + "." + uuid.toLowerCase() + "@poll.test";
    }

    private List<Request> failures(int seen) {
        List<Request> all = api.requests();
        return all.subList(seen, all.size()).stream()
                .filter(r -> r.status() == 500 && r.path().equals("/scheduled_events")).toList();
    }

    private long touchpoints(String uuid) {
        return jdbc.queryForObject("select count(*) from touchpoints where connector = 'calendly-poll' and event_id like ?",
                Long.class, "%/scheduled_events/" + uuid + "/%");
    }

    private long allTouchpoints() {
        return jdbc.queryForObject("select count(*) from touchpoints where connector = 'calendly-poll'", Long.class);
    }

    private Optional<String> cursor() {
        return jdbc.queryForList("select cursor from poller_cursors where poller_id = 'calendly'", String.class)
                .stream().findFirst();
    }
}
