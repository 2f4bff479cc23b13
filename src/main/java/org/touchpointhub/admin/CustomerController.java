package org.touchpointhub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.enrich.Normalizer;
import org.touchpointhub.identity.MergeLedger;
import org.touchpointhub.ingest.Problems;

/**
 * {@code GET /admin/customers} (find by email, phone or free text) and {@code GET /admin/customers/{id}} (golden
 * record with each value's source, identity keys, observations, timeline, CRM ids, match decisions with their
 * explanations and merges), and {@code POST /admin/customers/{id}/unmerge}.
 */
@RestController
class CustomerController {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Normalizer normalizer;
    private final MergeLedger ledger;
    private final TransactionTemplate tx;

    CustomerController(JdbcTemplate jdbc, ObjectMapper json, MergeLedger ledger, TransactionTemplate tx,
            @Value("${hub.default-region:US}") String region) {
        this.jdbc = jdbc;
        this.json = json;
        this.ledger = ledger;
        this.tx = tx;
        this.normalizer = new Normalizer(region);
    }

    @GetMapping("/admin/customers")
    ResponseEntity<?> list(@RequestParam(name = "email", required = false) String email,
            @RequestParam(name = "phone", required = false) String phone,
            @RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "limit", defaultValue = "50") int limit) {
        int bounded = Math.max(1, Math.min(limit, 500));
        List<Long> ids;
        if (email != null && !email.isBlank()) {
            String key = Normalizer.email(Normalizer.text(email));
            ids = key == null ? List.of() : byKey("email", key);
        } else if (phone != null && !phone.isBlank()) {
            String key = normalizer.phone(Normalizer.text(phone));
            ids = key == null ? List.of() : byKey("phone", key);
        } else if (q != null && !q.isBlank()) {
            String like = "%" + Normalizer.text(q).toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            ids = jdbc.queryForList("select id from customers where merged_into is null and lower(golden::text) like ? "
                    + "order by updated_at desc limit ?", Long.class, like, bounded);
        } else {
            ids = jdbc.queryForList("select id from customers where merged_into is null order by updated_at desc limit ?",
                    Long.class, bounded);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (long id : ids.stream().distinct().limit(bounded).toList()) {
            out.add(summary(id));
        }
        return ResponseEntity.ok(Map.of("customers", out, "count", out.size()));
    }

    @GetMapping("/admin/customers/{id}")
    ResponseEntity<?> get(@PathVariable("id") String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return notFound(idText);
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select id, created_at, updated_at, golden::text as golden, "
                + "crm_ids::text as crm_ids, merged_into from customers where id = ?", id);
        if (rows.isEmpty()) {
            return notFound(idText);
        }
        Map<String, Object> row = rows.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("createdAt", row.get("created_at"));
        out.put("updatedAt", row.get("updated_at"));
        out.put("mergedInto", row.get("merged_into"));
        out.put("golden", parse(row.get("golden")));
        out.put("crmIds", parse(row.get("crm_ids")));
        out.put("identityKeys", jdbc.queryForList("select kind, value, created_at as \"createdAt\" from identity_keys "
                + "where customer_id = ? order by kind, value", id));
        out.put("observations", jdbc.queryForList("select attribute, value, source, priority, observed_at as \"observedAt\", "
                + "touchpoint_id as \"touchpointId\" from observations where customer_id = ? order by observed_at desc, id desc limit 500", id));
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (Map<String, Object> t : jdbc.queryForList("select id, connector, event_id, type, channel, occurred_at, summary, "
                + "attributes::text as attributes, delivered_at from touchpoints where customer_id = ? order by occurred_at, id", id)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", t.get("id"));
            e.put("type", t.get("type"));
            e.put("channel", t.get("channel"));
            e.put("occurredAt", t.get("occurred_at"));
            e.put("source", t.get("connector"));
            e.put("eventId", t.get("event_id"));
            e.put("summary", t.get("summary"));
            e.put("attributes", parse(t.get("attributes")));
            e.put("deliveredAt", t.get("delivered_at"));
            timeline.add(e);
        }
        out.put("timeline", timeline);
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (Map<String, Object> d : jdbc.queryForList("select id, created_at, record_key, candidate_id, decision, probability, "
                + "explanation::text as explanation from match_decisions where customer_id = ? or customer_id in "
                + "(select id from customers where merged_into = ?) order by id desc limit 200", id, id)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", d.get("id"));
            e.put("createdAt", d.get("created_at"));
            e.put("record", d.get("record_key"));
            e.put("candidateId", d.get("candidate_id"));
            e.put("decision", d.get("decision"));
            e.put("probability", d.get("probability"));
            e.put("explanation", parse(d.get("explanation")));
            decisions.add(e);
        }
        out.put("matchDecisions", decisions);
        out.put("merges", jdbc.queryForList("select id, created_at as \"createdAt\", survivor_id as \"survivorId\", "
                + "merged_id as \"mergedId\", reason, undone_at as \"undoneAt\" from merges where survivor_id = ? or merged_id = ? "
                + "order by id", id, id));
        return ResponseEntity.ok(out);
    }

    @PostMapping("/admin/customers/{id}/unmerge")
    ResponseEntity<?> unmerge(@PathVariable("id") long id) {
        List<Long> restored = tx.execute(status -> ledger.unmerge(id));
        if (restored.isEmpty()) {
            return Problems.of(HttpStatus.CONFLICT, "not-merged", "Nothing to unmerge",
                    "No customer is merged into customer " + id);
        }
        return ResponseEntity.ok(Map.of("id", id, "restored", restored));
    }

    private List<Long> byKey(String kind, String value) {
        return jdbc.queryForList("select coalesce(c.merged_into, c.id) from identity_keys k join customers c on c.id = k.customer_id "
                + "where k.kind = ? and k.value = ?", Long.class, kind, value);
    }

    private Map<String, Object> summary(long id) {
        Map<String, Object> row = jdbc.queryForMap("select c.id, c.created_at, c.updated_at, c.golden::text as golden, "
                + "c.crm_ids::text as crm_ids, (select count(*) from touchpoints t where t.customer_id = c.id) as touchpoints "
                + "from customers c where c.id = ?", id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        Map<String, Object> flat = new LinkedHashMap<>();
        parse(row.get("golden")).forEach((k, v) -> flat.put(k, v instanceof Map<?, ?> m ? m.get("v") : v));
        out.put("golden", flat);
        out.put("touchpoints", row.get("touchpoints"));
        out.put("crmIds", parse(row.get("crm_ids")));
        out.put("createdAt", row.get("created_at"));
        out.put("updatedAt", row.get("updated_at"));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(Object text) {
        try {
            return text == null ? Map.of() : json.readValue(text.toString(), Map.class);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static ResponseEntity<ProblemDetail> notFound(String id) {
        return Problems.of(HttpStatus.NOT_FOUND, "unknown-customer", "Unknown customer",
                "No customer with id '" + Normalizer.text(id) + "'");
    }
}
