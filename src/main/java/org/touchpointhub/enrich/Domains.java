package org.touchpointhub.enrich;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * Company domains: a host cleaned to its lower-case ASCII form, and the registrable domain it belongs to
 * ({@code mail.acme.co.uk} belongs to {@code acme.co.uk}).
 *
 * <p>Why Guava: the registrable part depends on the Public Suffix List (co.uk, com.au, but also private suffixes such
 * as github.io, where every subdomain has another owner), which changes every month. Guava's
 * {@link InternetDomainName} carries the list compiled in, refreshed with each Guava release, so there is no list file
 * to fetch or keep; the cost is that the list is as fresh as the Guava version in the pom.
 */
public final class Domains {

    private Domains() {
    }

    /**
     * A host name cleaned for use as a company domain: trimmed, lower-cased, without scheme, path, port, trailing dot
     * or leading {@code www.}, Unicode labels in their ASCII (punycode) form; empty when it is not a domain name under
     * a public suffix (an IP address, {@code localhost}, {@code co.uk} itself).
     */
    public static Optional<String> host(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        int scheme = value.indexOf("://");
        if (scheme >= 0) {
            value = value.substring(scheme + 3);
        }
        int at = value.lastIndexOf('@');
        if (at >= 0) {
            value = value.substring(at + 1);
        }
        for (char stop : new char[] {'/', '?', '#', ':'}) {
            int i = value.indexOf(stop);
            if (i >= 0) {
                value = value.substring(0, i);
            }
        }
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.startsWith("www.")) {
            value = value.substring(4);
        }
        if (value.isEmpty() || value.length() > 253) {
            return Optional.empty();
        }
        try {
            value = IDN.toASCII(value, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            if (!InternetDomainName.isValid(value)) {
                return Optional.empty();
            }
            InternetDomainName name = InternetDomainName.from(value);
            return name.isUnderPublicSuffix() ? Optional.of(name.toString()) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The registrable domain (public suffix plus one label) a host belongs to, e.g. {@code acme.co.uk}; empty when invalid. */
    public static Optional<String> registrable(String raw) {
        return host(raw).map(h -> InternetDomainName.from(h).topPrivateDomain().toString());
    }

    /** The public suffix of a host ({@code co.uk}, {@code com}, {@code github.io}), or empty. */
    public static Optional<String> publicSuffix(String raw) {
        return host(raw).map(h -> InternetDomainName.from(h).publicSuffix().toString());
    }

    /** True when the registry suffix ends in a two-letter country code ({@code de}, {@code co.uk}). */
    public static boolean countryCoded(String raw) {
        return publicSuffix(raw).map(s -> {
            String last = s.substring(s.lastIndexOf('.') + 1);
            return last.length() == 2;
        }).orElse(false);
    }

    /** The label before the public suffix: {@code acme} for {@code mail.acme.co.uk}; empty when invalid. */
    public static Optional<String> label(String raw) {
        return registrable(raw).map(r -> r.substring(0, r.indexOf('.')));
    }
}
