package org.touchpointhub.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/stats}: what the store holds, at a glance: events by outcome, customers, touchpoints, the
 * outbox (customers waiting for delivery) and open dead letters. Operators and the fault drills read it.
 */
@RestController
class StatsController {

    private final JdbcTemplate jdbc;

    StatsController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/admin/stats")
    Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> events = new LinkedHashMap<>();
        jdbc.query("select outcome, count(*) from events group by outcome order by outcome",
                rs -> {
                    events.put(rs.getString(1), rs.getLong(2));
                });
        out.put("events", events);
        out.put("customers", jdbc.queryForObject("select count(*) from customers where merged_into is null", Long.class));
        out.put("touchpoints", jdbc.queryForObject("select count(*) from touchpoints", Long.class));
        out.put("touchpointsDelivered", jdbc.queryForObject("select count(*) from touchpoints where delivered_at is not null", Long.class));
        out.put("outbox", jdbc.queryForObject("select count(*) from outbox", Long.class));
        out.put("deadLettersOpen", jdbc.queryForObject("select count(*) from dead_letters where status = 'open'", Long.class));
        return out;
    }
}
