package org.touchpointhub.company;

import java.util.Optional;
import org.touchpointhub.enrich.CompanyNames;
import org.touchpointhub.enrich.Domains;
import org.touchpointhub.enrich.EmailAddresses;
import org.touchpointhub.enrich.Normalizer;

/**
 * What identifies a person's company, from the golden record: a domain and/or a name.
 *
 * <p>Why two domain rules: an e-mail host is infrastructure ({@code jane@mail.acme.co.uk} works for {@code acme.co.uk}),
 * so it is cut to its registrable domain; a domain a source names as the company's ({@code company_domain}, e.g. a
 * website field) is kept as given ({@code eu.acme.com} is a subsidiary's site) and becomes a child of its registrable
 * domain later. The pipeline copies a corporate e-mail domain into {@code company_domain} when no source gave one; a
 * {@code company_domain} equal to the e-mail's domain is therefore treated as the e-mail's. Free-mail and disposable
 * domains are never a company.
 *
 * @param domain         the company domain, or null (then {@code normalizedName} is set)
 * @param registrable    the registrable domain of {@code domain}, or null
 * @param label          the label before the public suffix, or null
 * @param normalizedName {@link CompanyNames#normalize} of the name a source gave, or null
 * @param displayName    the name as given, or null
 */
record CompanyKey(String domain, String registrable, String label, String normalizedName, String displayName) {

    CompanyKey {
        if (domain == null && normalizedName == null) {
            throw new IllegalArgumentException("a company key needs a domain or a name");
        }
    }

    /** The key from a golden record's company domain, company name and e-mail; empty when none of them names a company. */
    static Optional<CompanyKey> of(String companyDomain, String companyName, String email) {
        String emailDomain = email == null ? null : EmailAddresses.domain(email).filter(CompanyKey::corporate).orElse(null);
        String given = companyDomain == null ? null : Domains.host(companyDomain).filter(CompanyKey::corporate).orElse(null);
        String domain;
        if (given != null && !given.equals(emailDomain)) {
            domain = given;
        } else if (emailDomain != null) {
            domain = Domains.registrable(emailDomain).orElse(null);
        } else {
            domain = null;
        }
        String display = companyName == null ? "" : Normalizer.text(companyName);
        String normalized = display.isEmpty() ? "" : CompanyNames.normalize(display);
        if (domain == null && normalized.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CompanyKey(domain, domain == null ? null : Domains.registrable(domain).orElse(null),
                domain == null ? null : Domains.label(domain).orElse(null), normalized.isEmpty() ? null : normalized,
                display.isEmpty() ? null : display));
    }

    private static boolean corporate(String domain) {
        return !EmailAddresses.isFreeMail(domain) && !EmailAddresses.isDisposable(domain);
    }
}
