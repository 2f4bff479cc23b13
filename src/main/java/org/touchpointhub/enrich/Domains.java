package org.touchpointhub.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 *
 * <p>Why a cache: {@link InternetDomainName} walks the suffix list label by label and IDN conversion is not cheap
 * (2.5 % of a consumer thread's samples in the bench profile), while the same few thousand company domains come back
 * event after event. What a raw value gives (host, registrable domain, public suffix) is a pure function of it, so it
 * is kept per raw value: bounded to {@value #CACHE_SIZE} entries of inputs up to {@value #MAX_CACHED_LENGTH}
 * characters (a few MB); longer inputs are computed every time and never held.
 */
public final class Domains {
    static final int CACHE_SIZE = 20_000;
    static final int MAX_CACHED_LENGTH = 128;
    private static final Cache<String, Parts> CACHE = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

    /**
     * What a raw value gives; all null when it is not a domain name under a public suffix.
     *
     * @param host the cleaned host ({@link #host})
     * @param registrable its registrable domain
     * @param publicSuffix its public suffix
     */
    record Parts(String host, String registrable, String publicSuffix) {
        private static final Parts NONE = new Parts(null, null, null);
    }

    private Domains() {
    }

    /**
     * A host name cleaned for use as a company domain: trimmed, lower-cased, without scheme, path, port, trailing dot
     * or leading {@code www.}, Unicode labels in their ASCII (punycode) form; empty when it is not a domain name under
     * a public suffix (an IP address, {@code localhost}, {@code co.uk} itself).
     */
    public static Optional<String> host(String raw) {
        return Optional.ofNullable(parts(raw).host());
    }

    private static Parts parts(String raw) {
        if (raw == null) {
            return Parts.NONE;
        }
        if (raw.length() > MAX_CACHED_LENGTH) {
            return compute(raw);
        }
        return CACHE.get(raw, Domains::compute);
    }

    /** The uncached computation (the cache's loader; tests compare the two). */
    static Parts compute(String raw) {
        Optional<String> host = uncachedHost(raw);
        if (host.isEmpty()) {
            return Parts.NONE;
        }
        InternetDomainName name = InternetDomainName.from(host.get());
        return new Parts(host.get(), name.topPrivateDomain().toString(), name.publicSuffix().toString());
    }

    private static Optional<String> uncachedHost(String raw) {
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
        return Optional.ofNullable(parts(raw).registrable());
    }

    /** The public suffix of a host ({@code co.uk}, {@code com}, {@code github.io}), or empty. */
    public static Optional<String> publicSuffix(String raw) {
        return Optional.ofNullable(parts(raw).publicSuffix());
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

    /** Entries held now (for the tests' bound check). */
    static long cachedEntries() {
        CACHE.cleanUp();
        return CACHE.estimatedSize();
    }

    /** The values held now (for the tests' check that long values are never held). */
    static java.util.Set<String> cachedKeys() {
        return java.util.Set.copyOf(CACHE.asMap().keySet());
    }
}
