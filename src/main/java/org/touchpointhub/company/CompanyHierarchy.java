package org.touchpointhub.company;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.enrich.Domains;

/**
 * Computes one company's parent from the evidence the data holds, strongest first, and stores it with the reason:
 * <ol>
 *   <li>the firmographic provider named a parent domain (the parent company is created when new);</li>
 *   <li>the company's domain is a subdomain ({@code eu.acme.com}) of a registrable domain ({@code acme.com}, created
 *       when new: whoever owns a domain owns its subdomains);</li>
 *   <li>another company has the same normalized name (given by a source, never guessed from the domain) and ranks
 *       above it: a generic top-level domain ({@code acme.com}) above a country-code one ({@code acme.de},
 *       {@code acme.co.uk}), a company with a domain above one known by name only, then the earlier company.</li>
 * </ol>
 * Two companies are never merged, only linked; a parent that would close a cycle is not taken. The company row is not
 * locked while its parent is found (an event may be filling its name meanwhile): two runs on one company compute the
 * same answer, so the last write is as good as the first.
 *
 * <p>Why ranks: "the same registered name under two domains" says they belong together but not which is the parent;
 * a strict order over (domain kind, age) makes the choice the same whatever order the companies arrived in, and can
 * never make two companies each other's parent.
 */
@Component
class CompanyHierarchy {

    private static final int MAX_DEPTH = 20;

    private final JdbcTemplate jdbc;

    CompanyHierarchy(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Recomputes a company's parent from the evidence and clears its mark. */
    void compute(long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select domain, registrable, label, normalized_name, parent_domain, "
                + "source from companies where id = ?", id);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> c = rows.get(0);
        String domain = (String) c.get("domain");
        Optional<Parent> parent = fromProvider(id, domain, (String) c.get("parent_domain"), (String) c.get("source"))
                .or(() -> fromSubdomain(id, domain, (String) c.get("registrable")))
                .or(() -> fromName(id, domain, (String) c.get("label"), (String) c.get("normalized_name")));
        Long parentId = parent.map(Parent::id).filter(p -> !cycle(id, p)).orElse(null);
        jdbc.update("update companies set parent_id = ?, hierarchy_reason = ?, hierarchy_due = false, updated_at = now() "
                + "where id = ?", parentId, parentId == null ? null : parent.get().reason(), id);
    }

    /**
     * Marks for another look the companies that could take this one as their parent: its subdomains, and the companies
     * of the same name that rank below it. Marks only flow downward in the strict rank order, so they always settle.
     */
    void touchRelated(long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select domain, normalized_name from companies where id = ?", id);
        if (rows.isEmpty()) {
            return;
        }
        String domain = (String) rows.get(0).get("domain");
        String name = (String) rows.get(0).get("normalized_name");
        int rank = rank(domain);
        List<Long> below = new java.util.ArrayList<>();
        if (name != null) {
            for (Map<String, Object> f : jdbc.queryForList("select id, domain from companies where normalized_name = ? and id <> ? "
                    + "and not hierarchy_due order by id limit 500", name, id)) {
                long fid = ((Number) f.get("id")).longValue();
                int frank = rank((String) f.get("domain"));
                if (frank > rank || (frank == rank && fid > id)) {
                    below.add(fid);
                }
            }
        }
        if (domain != null) {
            below.addAll(jdbc.queryForList("select id from companies where registrable = ? and domain <> registrable "
                    + "and not hierarchy_due limit 500", Long.class, domain));
        }
        if (!below.isEmpty()) {
            jdbc.update("update companies set hierarchy_due = true where id = any(?::bigint[])",
                    (Object) below.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}")));
        }
    }

    private record Parent(long id, String reason) {}

    private Optional<Parent> fromProvider(long id, String domain, String parentDomain, String source) {
        if (parentDomain == null || parentDomain.equals(domain)) {
            return Optional.empty();
        }
        return Optional.of(new Parent(companyOf(parentDomain), "provider " + source + " names parent domain " + parentDomain));
    }

    private Optional<Parent> fromSubdomain(long id, String domain, String registrable) {
        if (domain == null || registrable == null || domain.equals(registrable)) {
            return Optional.empty();
        }
        return Optional.of(new Parent(companyOf(registrable), "subdomain of " + registrable));
    }

    private Optional<Parent> fromName(long id, String domain, String label, String name) {
        if (name == null) {
            return Optional.empty();
        }
        int rank = rank(domain);
        // candidates: same normalized name, a registrable domain (a subdomain's parent is its registrable domain),
        // ranked strictly above this company; the same label first ("acme" in acme.de and acme.com)
        List<Map<String, Object>> found = jdbc.queryForList("select id, domain, label from companies where normalized_name = ? "
                + "and id <> ? and domain is not null and domain = registrable order by id limit 200", name, id);
        Map<String, Object> best = null;
        int bestRank = Integer.MAX_VALUE;
        boolean bestSameLabel = false;
        for (Map<String, Object> f : found) {
            long fid = ((Number) f.get("id")).longValue();
            int frank = rank((String) f.get("domain"));
            if (frank > rank || (frank == rank && fid > id)) {
                continue; // ranks below (or level with and newer than) this company
            }
            boolean sameLabel = label != null && label.equals(f.get("label"));
            if (best == null || (sameLabel && !bestSameLabel) || (sameLabel == bestSameLabel && frank < bestRank)) {
                best = f;
                bestRank = frank;
                bestSameLabel = sameLabel;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String other = (String) best.get("domain");
        String reason;
        if (domain == null) {
            reason = "same name '" + name + "' as " + other + " (this company has no domain)";
        } else if (bestSameLabel && Domains.countryCoded(domain)) {
            reason = "country-code domain of " + other + ", same name '" + name + "'";
        } else {
            reason = "same registered name '" + name + "' as " + other;
        }
        return Optional.of(new Parent(((Number) best.get("id")).longValue(), reason));
    }

    /** 0: a generic top-level domain; 1: a country-code domain; 2: no domain. */
    private static int rank(String domain) {
        if (domain == null) {
            return 2;
        }
        return Domains.countryCoded(domain) ? 1 : 0;
    }

    /** The company of a domain, created (and marked for enrichment) when new. */
    private long companyOf(String domain) {
        String registrable = Domains.registrable(domain).orElse(null);
        String label = Domains.label(domain).orElse(null);
        List<Long> ids = jdbc.queryForList("with ins as (insert into companies (domain, registrable, label) values (?, ?, ?) "
                + "on conflict (domain) do nothing returning id) select id from ins union all select id from companies where domain = ?",
                Long.class, domain, registrable, label, domain);
        if (ids.isEmpty()) {
            ids = jdbc.queryForList("select id from companies where domain = ?", Long.class, domain);
        }
        return ids.get(0);
    }

    /** True when taking {@code parent} as the parent of {@code id} would close a cycle. */
    private boolean cycle(long id, long parent) {
        Long at = parent;
        for (int depth = 0; at != null && depth < MAX_DEPTH; depth++) {
            if (at == id) {
                return true;
            }
            List<Long> up = jdbc.queryForList("select parent_id from companies where id = ?", Long.class, at);
            at = up.isEmpty() ? null : up.get(0);
        }
        return at != null;
    }
}
