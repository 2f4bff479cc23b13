package org.touchpointhub.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Shared helpers for the signature schemes: HMAC, hex and base64 decoding that never throws, header parsing. */
final class Signing {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Signing() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Concatenates byte arrays, e.g. {@code timestamp + "." + body}. */
    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] hmac(String algorithm, byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    static byte[] hmacSha256(byte[] key, byte[] message) {
        return hmac("HmacSHA256", key, message);
    }

    static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Decodes lower- or upper-case hex, or returns {@code null} when the text is not hex. */
    static byte[] hex(String text) {
        if (text == null || text.length() % 2 != 0) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes standard base64 (padded or not), or returns {@code null} when the text is not base64. */
    static byte[] base64(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes a signature in the given encoding ({@code hex} or {@code base64}), or {@code null} when malformed. */
    static byte[] decode(String encoding, String text) {
        return "base64".equals(encoding) ? base64(text) : hex(text);
    }

    /** Compares in constant time; {@code null} (a malformed candidate) never matches. */
    static boolean matches(byte[] expected, byte[] candidate) {
        return candidate != null && MessageDigest.isEqual(expected, candidate);
    }

    /** Whether any decoded candidate equals the expected digest (several signatures appear during key rotation). */
    static boolean anyMatches(byte[] expected, List<byte[]> candidates) {
        boolean found = false;
        for (byte[] candidate : candidates) {
            found |= matches(expected, candidate);
        }
        return found;
    }

    /** Parses a decimal number of seconds or milliseconds, or returns empty for garbage. */
    static Optional<Long> parseLong(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Parses unix seconds, or returns empty for garbage or a time beyond what {@link Instant} holds. */
    static Optional<Instant> epochSeconds(String text) {
        return parseLong(text == null ? null : text.trim()).flatMap(n -> n > Instant.MAX.getEpochSecond()
                ? Optional.empty() : Optional.of(Instant.ofEpochSecond(n)));
    }

    /** Parses unix milliseconds, or returns empty for garbage. */
    static Optional<Instant> epochMillis(String text) {
        return parseLong(text == null ? null : text.trim()).map(Instant::ofEpochMilli);
    }

    /**
     * Refuses a signed time too far from {@code now} in either direction, or returns {@code null} when it is fresh.
     */
    static Verification staleness(Instant signedAt, Instant now, Duration tolerance) {
        Duration skew = Duration.between(signedAt, now).abs();
        if (skew.compareTo(tolerance) > 0) {
            return Verification.refused(Verification.Reason.STALE_TIMESTAMP,
                    "timestamp " + signedAt + " is " + skew.toSeconds() + "s away from now, tolerance is "
                            + tolerance.toSeconds() + "s");
        }
        return null;
    }

    /**
     * Parses a {@code key=value} list such as Stripe's {@code t=1,v1=ab,v1=cd}: splits on the separator, then on the
     * first {@code =}; entries without {@code =} are skipped.
     */
    static List<Map.Entry<String, String>> keyValues(String header, String separator) {
        var entries = new ArrayList<Map.Entry<String, String>>();
        for (String part : header.split(Pattern.quote(separator))) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                entries.add(Map.entry(part.substring(0, eq).trim(), part.substring(eq + 1).trim()));
            }
        }
        return entries;
    }

    /**
     * Parses a tolerance: ISO-8601 ({@code PT5M}) or Spring-style simple form ({@code 500ms}, {@code 300s},
     * {@code 5m}, {@code 1h}, {@code 1d}); returns {@code null} for anything else or a negative duration.
     */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        return Duration.ofMillis(n);
                    case "s":
                        return Duration.ofSeconds(n);
                    case "m":
                        return Duration.ofMinutes(n);
                    case "h":
                        return Duration.ofHours(n);
                    default:
                        return Duration.ofDays(n);
                }
            }
            if (t.startsWith("p") || t.startsWith("-p")) {
                Duration d = Duration.parse(text.trim());
                return d.isNegative() ? null : d;
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }
}
