package org.touchpointhub.company;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Links a customer to its company, from the golden record (company domain, else corporate e-mail domain, and company
 * name). Runs in the caller's transaction, once per recorded touchpoint.
 *
 * <p>Why it is cheap: one read (the golden record's three values joined with the current company) decides; when the
 * customer is already linked to that company, nothing is written. Otherwise one upsert finds or creates the company
 * and one update moves the link. The hierarchy and the firmographics are not computed here: a new company is marked
 * for the background job ({@link FirmographicsJob}), so an event never waits on a provider or locks another company.
 */
@Service
public class CompanyLinks {

    private final JdbcTemplate jdbc;

    CompanyLinks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Links a customer to the company its golden record names (or unlinks it when it names none any more). */
    public void link(long customerId) {
        List<Map<String, Object>> rows = jdbc.queryForList("select c.golden->'company_domain'->>'v' as company_domain, "
                + "c.golden->'company'->>'v' as company, c.golden->'email'->>'v' as email, c.company_id, "
                + "co.domain as current_domain, co.normalized_name as current_name from customers c "
                + "left join companies co on co.id = c.company_id where c.id = ?", customerId);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> row = rows.get(0);
        Long current = row.get("company_id") == null ? null : ((Number) row.get("company_id")).longValue();
        Optional<CompanyKey> key = CompanyKey.of((String) row.get("company_domain"), (String) row.get("company"),
                (String) row.get("email"));
        if (key.isEmpty()) {
            if (current != null) {
                jdbc.update("update customers set company_id = null where id = ?", customerId);
            }
            return;
        }
        CompanyKey k = key.get();
        String currentDomain = (String) row.get("current_domain");
        String currentName = (String) row.get("current_name");
        if (current != null && upToDate(k, currentDomain, currentName)) {
            return;
        }
        long company = k.domain() != null ? byDomain(k) : byName(k);
        if (!Objects.equals(current, company)) {
            jdbc.update("update customers set company_id = ? where id = ?", company, customerId);
        }
    }

    /** Links each of these customers again (after an unmerge split them). */
    public void link(Iterable<Long> customerIds) {
        customerIds.forEach(this::link);
    }

    private static boolean upToDate(CompanyKey k, String currentDomain, String currentName) {
        if (k.domain() != null) {
            // the company has a name already, or this record gives none: nothing to add
            return k.domain().equals(currentDomain) && (currentName != null || k.normalizedName() == null);
        }
        return k.normalizedName().equals(currentName);
    }

    /** Finds or creates the company of a domain; a name given for a company known only by domain so far is kept. */
    private long byDomain(CompanyKey k) {
        String upsert = "with ins as (insert into companies (domain, registrable, label, normalized_name, display_name) "
                + "values (?, ?, ?, ?, ?) on conflict (domain) do nothing returning id, normalized_name) "
                + "select id, normalized_name from ins union all select id, normalized_name from companies where domain = ?";
        List<Map<String, Object>> found = jdbc.queryForList(upsert, k.domain(), k.registrable(), k.label(), k.normalizedName(),
                k.displayName(), k.domain());
        if (found.isEmpty()) {
            // inserted by a concurrent transaction that committed after this statement's snapshot: read it now
            found = jdbc.queryForList("select id, normalized_name from companies where domain = ?", k.domain());
        }
        long id = ((Number) found.get(0).get("id")).longValue();
        if (found.get(0).get("normalized_name") == null && k.normalizedName() != null) {
            jdbc.update("update companies set normalized_name = ?, display_name = ?, hierarchy_due = true, updated_at = now() "
                    + "where id = ? and normalized_name is null", k.normalizedName(), k.displayName(), id);
        }
        return id;
    }

    /**
     * The company of a name without a domain: the earliest top-level company with a domain and that normalized name,
     * else the one company known by that name only (created when new).
     */
    private long byName(CompanyKey k) {
        List<Long> withDomain = jdbc.queryForList("select id from companies where normalized_name = ? and domain is not null "
                + "order by (parent_id is not null), id limit 1", Long.class, k.normalizedName());
        if (!withDomain.isEmpty()) {
            return withDomain.get(0);
        }
        List<Long> ids = jdbc.queryForList("with ins as (insert into companies (normalized_name, display_name) values (?, ?) "
                + "on conflict (normalized_name) where domain is null do nothing returning id) "
                + "select id from ins union all select id from companies where normalized_name = ? and domain is null",
                Long.class, k.normalizedName(), k.displayName(), k.normalizedName());
        if (ids.isEmpty()) {
            ids = jdbc.queryForList("select id from companies where normalized_name = ? and domain is null", Long.class,
                    k.normalizedName());
        }
        return ids.get(0);
    }
}
