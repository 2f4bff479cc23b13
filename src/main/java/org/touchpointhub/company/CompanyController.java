package org.touchpointhub.company;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.touchpointhub.enrich.CompanyNames;
import org.touchpointhub.enrich.Domains;
import org.touchpointhub.enrich.Normalizer;
import org.touchpointhub.ingest.Problems;

/**
 * {@code GET /admin/companies?domain=&name=&page=&size=} (companies by domain, or by name, newest first, paged) and
 * {@code GET /admin/companies/{id}} (firmographics and their fetch state, parent with the evidence, children, the ids
 * of the people linked). HTTP Basic like the rest of {@code /admin/**}.
 */
@RestController
class CompanyController {

    private static final int MAX_PAGE_SIZE = 500;
    private static final String COLUMNS = "id, domain, display_name, normalized_name, industry, employees, country, parent_id, "
            + "hierarchy_reason, created_at, updated_at";

    private final JdbcTemplate jdbc;

    CompanyController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/admin/companies")
    ResponseEntity<?> list(@RequestParam(name = "domain", required = false) String domain,
            @RequestParam(name = "name", required = false) String name,
            @RequestParam(name = "page", defaultValue = "0") String pageText,
            @RequestParam(name = "size", defaultValue = "50") String sizeText) {
        Integer page = number(pageText);
        Integer size = number(sizeText);
        if (page == null || page < 0 || size == null || size < 1 || size > MAX_PAGE_SIZE) {
            return Problems.of(HttpStatus.BAD_REQUEST, "bad-paging", "Bad paging",
                    "page must be a number from 0, size a number from 1 to " + MAX_PAGE_SIZE);
        }
        String where;
        Object[] args;
        if (domain != null && !domain.isBlank()) {
            var host = Domains.host(domain);
            if (host.isEmpty()) {
                return Problems.of(HttpStatus.BAD_REQUEST, "bad-domain", "Not a domain name",
                        "'" + Normalizer.text(domain) + "' is not a domain name");
            }
            // a domain finds its company and the companies under the same registrable domain
            where = "where domain = ? or registrable = ?";
            args = new Object[] {host.get(), Domains.registrable(host.get()).orElse(host.get())};
        } else if (name != null && !name.isBlank()) {
            where = "where normalized_name = ?";
            args = new Object[] {CompanyNames.normalize(Normalizer.text(name))};
        } else {
            where = "";
            args = new Object[0];
        }
        Long total = jdbc.queryForObject("select count(*) from companies " + where, Long.class, args);
        List<Object> pageArgs = new ArrayList<>(List.of(args));
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        List<Map<String, Object>> companies = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("select " + COLUMNS + " from companies " + where
                + " order by id desc limit ? offset ?", pageArgs.toArray())) {
            companies.add(summary(row));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("companies", companies);
        out.put("page", page);
        out.put("size", size);
        out.put("total", total);
        return ResponseEntity.ok(out);
    }

    @GetMapping("/admin/companies/{id}")
    ResponseEntity<?> get(@PathVariable("id") String idText) {
        Long id = idText.matches("[0-9]{1,18}") ? Long.valueOf(idText) : null;
        List<Map<String, Object>> rows = id == null ? List.of()
                : jdbc.queryForList("select " + COLUMNS + ", registrable, parent_domain, source, fetched_at, enrich_outcome, "
                        + "enrich_error, enrich_attempts, enrich_due_at from companies where id = ?", id);
        if (rows.isEmpty()) {
            return notFound(idText);
        }
        Map<String, Object> row = rows.get(0);
        Map<String, Object> out = summary(row);
        Map<String, Object> firmographics = new LinkedHashMap<>();
        firmographics.put("industry", row.get("industry"));
        firmographics.put("employees", row.get("employees"));
        firmographics.put("country", row.get("country"));
        firmographics.put("parentDomain", row.get("parent_domain"));
        firmographics.put("source", row.get("source"));
        firmographics.put("fetchedAt", row.get("fetched_at"));
        firmographics.put("outcome", row.get("enrich_outcome"));
        firmographics.put("error", row.get("enrich_error"));
        firmographics.put("attempts", row.get("enrich_attempts"));
        firmographics.put("nextAttemptAt", row.get("fetched_at") == null ? row.get("enrich_due_at") : null);
        out.put("firmographics", firmographics);
        Object parentId = row.get("parent_id");
        out.put("parent", parentId == null ? null : jdbc.queryForMap("select id, domain, display_name as \"displayName\" "
                + "from companies where id = ?", parentId));
        out.put("children", jdbc.queryForList("select id, domain, display_name as \"displayName\", hierarchy_reason as "
                + "\"hierarchyReason\" from companies where parent_id = ? order by id limit 1000", id));
        out.put("people", jdbc.queryForList("select id from customers where company_id = ? and merged_into is null order by id "
                + "limit 1000", Long.class, id));
        return ResponseEntity.ok(out);
    }

    private static Map<String, Object> summary(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", row.get("id"));
        out.put("domain", row.get("domain"));
        out.put("name", row.get("display_name"));
        out.put("normalizedName", row.get("normalized_name"));
        out.put("industry", row.get("industry"));
        out.put("employees", row.get("employees"));
        out.put("country", row.get("country"));
        out.put("parentId", row.get("parent_id"));
        out.put("hierarchyReason", row.get("hierarchy_reason"));
        out.put("createdAt", row.get("created_at"));
        out.put("updatedAt", row.get("updated_at"));
        return out;
    }

    private static Integer number(String text) {
        return text != null && text.matches("[0-9]{1,9}") ? Integer.valueOf(text) : null;
    }

    private static ResponseEntity<ProblemDetail> notFound(String id) {
        return Problems.of(HttpStatus.NOT_FOUND, "unknown-company", "Unknown company",
                "No company with id '" + Normalizer.text(id) + "'");
    }
}
