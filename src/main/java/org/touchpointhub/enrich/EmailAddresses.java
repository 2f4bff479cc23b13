package org.touchpointhub.enrich;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * E-mail addresses: a canonical match key per provider, free-mail and disposable flags, and the company a
 * corporate domain stands for. The display value is never changed; only the match key is rewritten.
 *
 * <p>Provider rules, applied only where the provider documents them:
 * <ul>
 *   <li>Gmail ignores dots in the local part and delivers {@code name+tag} to {@code name}; googlemail.com is
 *       the same mailbox (https://support.google.com/mail/answer/7436150 and /answer/12096).</li>
 *   <li>Outlook.com / Hotmail / Live / MSN deliver {@code name+tag} to {@code name} (Microsoft "plus
 *       addressing", https://learn.microsoft.com/exchange/recipients-in-exchange-online/plus-addressing-in-exchange-online).</li>
 *   <li>iCloud, Fastmail and Proton deliver {@code name+tag} to {@code name} (their help pages on "plus
 *       addressing" / "subaddressing").</li>
 *   <li>Everything else keeps its local part (lower-cased: no big provider treats case as significant), because
 *       RFC 5321 leaves the local part to the receiving server.</li>
 * </ul>
 * Lists: resources {@code enrich/free-email-domains.txt} and {@code enrich/disposable-email-domains.txt}, provenance
 * in {@code enrich/PROVENANCE.md}.
 */
public final class EmailAddresses {
    private static final Set<String> GMAIL = Set.of("gmail.com", "googlemail.com");
    private static final Set<String> PLUS_TAG = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
            "live.com", "msn.com", "hotmail.co.uk", "outlook.de", "hotmail.fr", "hotmail.de", "live.co.uk",
            "icloud.com", "me.com", "mac.com", "fastmail.com", "fastmail.fm", "proton.me", "protonmail.com",
            "pm.me");
    private static final Set<String> FREE = load("/enrich/free-email-domains.txt");
    private static final Set<String> DISPOSABLE = load("/enrich/disposable-email-domains.txt");
    // Role mailboxes are shared by many people, so they must never act as a personal identity key.
    private static final Set<String> ROLE = Set.of("info", "sales", "admin", "office", "contact", "support", "hello",
            "mail", "team", "enquiries", "inquiries", "billing", "accounts", "noreply", "no-reply", "webmaster",
            "marketing", "hr", "jobs", "help", "service", "reception");

    private EmailAddresses() {
    }

    private static Set<String> load(String path) {
        return new HashSet<>(Text.resourceLines(path));
    }

    /** Returns the canonical match key (provider rules applied) of a syntactically plausible address, else empty. */
    public static Optional<String> matchKey(String raw) {
        Optional<String[]> parts = split(raw);
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String local = parts.get()[0];
        String domain = parts.get()[1];
        if (GMAIL.contains(domain)) {
            domain = "gmail.com";
            local = local.replace(".", "");
        }
        if (PLUS_TAG.contains(domain)) {
            int plus = local.indexOf('+');
            if (plus > 0) {
                local = local.substring(0, plus);
            }
        }
        return local.isEmpty() ? Optional.empty() : Optional.of(local + "@" + domain);
    }

    /** Returns the lower-cased domain of a plausible address, else empty. */
    public static Optional<String> domain(String raw) {
        return split(raw).map(p -> p[1]);
    }

    /**
     * The company domain a corporate (not free-mail, not disposable) address names: its registrable domain
     * ({@code jane@mail.acme.co.uk} gives {@code acme.co.uk}, the key of the company), or the host itself when it is
     * not under a public suffix ({@code .test}); empty for free-mail and disposable addresses.
     */
    public static Optional<String> companyDomain(String raw) {
        Optional<String> domain = domain(raw);
        if (domain.isEmpty() || isFreeMail(domain.get()) || isDisposable(domain.get())) {
            return Optional.empty();
        }
        return Optional.of(Domains.registrable(domain.get()).orElse(domain.get()));
    }

    /** Returns true when the domain (or a parent domain) is a known free-mail provider such as gmail.com. */
    public static boolean isFreeMail(String domain) {
        return listed(FREE, domain);
    }

    /** Returns true when the domain (or a parent domain) is a known disposable/throw-away mailbox provider. */
    public static boolean isDisposable(String domain) {
        return listed(DISPOSABLE, domain);
    }

    /** Returns true when the local part names a role (info@, sales@) rather than a person. */
    public static boolean isRoleAccount(String raw) {
        return split(raw).map(p -> ROLE.contains(p[0])).orElse(false);
    }

    /** Returns the company a corporate domain stands for (acme-corp.co.uk gives "acme corp"), empty for free or disposable mail. */
    public static Optional<String> companyFromDomain(String domain) {
        if (domain == null || isFreeMail(domain) || isDisposable(domain)) {
            return Optional.empty();
        }
        String[] labels = domain.split("\\.");
        if (labels.length < 2) {
            return Optional.empty();
        }
        // The registrable name sits before the public suffix; two-letter second-level labels (co.uk, com.au) are suffixes too.
        int idx = labels.length - 2;
        if (idx > 0 && (labels[idx].length() <= 3 && List.of("co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc")
                .contains(labels[idx]))) {
            idx--;
        }
        String name = Text.fold(labels[idx]);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    private static boolean listed(Set<String> list, String domain) {
        if (domain == null) {
            return false;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            if (list.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0 || d.indexOf('.', dot + 1) < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }

    /** {@code value.chars().anyMatch(Character::isWhitespace)} without a stream (this runs for every address). */
    static boolean hasWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String[]> split(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("mailto:")) {
            value = value.substring(7);
        }
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1 || hasWhitespace(value)) {
            return Optional.empty();
        }
        String domain = value.substring(at + 1);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (!domain.contains(".") || domain.startsWith(".") || domain.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(new String[] {value.substring(0, at), domain});
    }
}
