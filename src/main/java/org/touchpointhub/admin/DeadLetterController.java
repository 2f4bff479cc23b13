package org.touchpointhub.admin;

import java.util.List;
import java.util.Map;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.enrich.Normalizer;
import org.touchpointhub.ingest.InboundQueue;
import org.touchpointhub.ingest.Problems;

/**
 * {@code GET /admin/dead-letters} and {@code POST /admin/dead-letters/{id}/replay}. A dead letter of the processing
 * stage keeps the raw event: replay forgets that the event was seen and puts it on {@code hub.inbound} again, so a
 * fixed connector file maps it. A dead letter of the delivery stage marks its customer for delivery again.
 */
@RestController
class DeadLetterController {

    private final JdbcTemplate jdbc;
    private final InboundQueue inbound;
    private final TransactionTemplate tx;

    DeadLetterController(JdbcTemplate jdbc, InboundQueue inbound, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.inbound = inbound;
        this.tx = tx;
    }

    @GetMapping("/admin/dead-letters")
    Map<String, Object> list(@RequestParam(name = "status", defaultValue = "open") String status,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        List<Map<String, Object>> rows = jdbc.queryForList("select id, created_at as \"createdAt\", stage, connector, "
                + "event_id as \"eventId\", reason, content_type as \"contentType\", customer_id as \"customerId\", "
                + "crm_object as \"crmObject\", crm_code as \"crmCode\", crm_message as \"crmMessage\", status, "
                + "replayed_at as \"replayedAt\", substring(payload from 1 for 4096) as payload "
                + "from dead_letters where (? = 'all' or status = ?) order by id desc limit ?",
                status, status, Math.max(1, Math.min(limit, 1000)));
        // the payload is shown as text (invalid UTF-8 replaced), never interpreted
        rows.forEach(r -> r.computeIfPresent("payload", (k, v) -> new String((byte[]) v, java.nio.charset.StandardCharsets.UTF_8)));
        return Map.of("deadLetters", rows, "count", rows.size());
    }

    @PostMapping("/admin/dead-letters/{id}/replay")
    ResponseEntity<?> replay(@PathVariable("id") String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return notFound(idText);
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select stage, connector, event_id, content_type, payload, customer_id, status "
                + "from dead_letters where id = ?", id);
        if (rows.isEmpty()) {
            return notFound(idText);
        }
        Map<String, Object> dl = rows.get(0);
        if (!"open".equals(dl.get("status"))) {
            return Problems.of(HttpStatus.CONFLICT, "already-replayed", "Already replayed",
                    "Dead letter " + id + " was replayed already");
        }
        if ("source".equals(dl.get("stage"))) {
            // a pull route could not turn its input into an event: there is no event to replay, the input is shown
            return Problems.of(HttpStatus.CONFLICT, "not-replayable", "Not replayable",
                    "Dead letter " + id + " records input a pull route could not read; fix the source and let the route read it again");
        }
        tx.executeWithoutResult(s -> {
            jdbc.update("update dead_letters set status = 'replayed', replayed_at = now() where id = ?", id);
            if ("deliver".equals(dl.get("stage"))) {
                jdbc.update("insert into outbox (customer_id) values (?) on conflict (customer_id) do update set due_at = now()",
                        dl.get("customer_id"));
                return;
            }
            // forget the event, then queue it again; the consumer's insert waits for this commit
            jdbc.update("delete from events where connector = ? and event_id = ? and outcome = 'dead-letter'",
                    dl.get("connector"), dl.get("event_id"));
            inbound.send(new InboundEnvelope((String) dl.get("connector"), (String) dl.get("event_id"), null, null,
                    Instant.now(), (String) dl.get("content_type"), (byte[]) dl.get("payload")));
        });
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id, "status", "replayed"));
    }

    private static ResponseEntity<?> notFound(String id) {
        return Problems.of(HttpStatus.NOT_FOUND, "unknown-dead-letter", "Unknown dead letter",
                "No dead letter with id '" + Normalizer.text(id) + "'");
    }
}
