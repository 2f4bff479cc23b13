package org.touchpointhub.ingest;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The catalogue of webhook verification schemes a connector file can name in its {@code verify} block, with
 * validation of their options and construction of thread-safe verifiers.
 *
 * <p>Options are strings, secrets already resolved from the environment. Every scheme holding a shared secret also
 * takes an optional {@code previous-secret} (or {@code previous-public-key}) accepted alongside it while a key is
 * being rotated. Tolerances ({@code tolerance}) are ISO-8601 durations ({@code PT5M}) or the Spring simple form
 * ({@code 500ms}, {@code 300s}, {@code 5m}, {@code 1h}, {@code 1d}); a bare number is refused because its unit
 * would be ambiguous. Unknown options are reported as problems, to catch typos.
 */
public final class SignatureSchemes {

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private static final Map<String, Function<SchemeOptions, SignatureScheme>> SCHEMES = new TreeMap<>();

    static {
        SCHEMES.put("token", TokenScheme::new);
        SCHEMES.put("basic", BasicAuthScheme::new);
        SCHEMES.put("hmac-sha256", BodyHmacScheme::generic);
        SCHEMES.put("typeform", BodyHmacScheme::typeform);
        SCHEMES.put("calcom", BodyHmacScheme::calcom);
        SCHEMES.put("standard-webhooks", StandardWebhooksScheme::new);
        SCHEMES.put("stripe", o -> TimestampedHeaderScheme.stripe(o, Duration.ofSeconds(300)));
        SCHEMES.put("calendly", o -> TimestampedHeaderScheme.calendly(o, FIVE_MINUTES));
        SCHEMES.put("paddle", o -> TimestampedHeaderScheme.paddle(o, Duration.ofSeconds(5)));
        SCHEMES.put("mailgun", MailgunScheme::new);
        SCHEMES.put("sendgrid", SendGridScheme::new);
        SCHEMES.put("twilio", TwilioScheme::new);
        SCHEMES.put("hubspot-v3", HubSpotV3Scheme::new);
    }

    private SignatureSchemes() {
    }

    /** The names of all verification schemes a connector can choose, in alphabetical order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(SCHEMES.keySet());
    }

    /**
     * Validates a connector's verify options for a scheme, returning one {@code "<option>: <message>"} line per
     * problem, or an empty list when the verifier can be built.
     */
    public static List<String> check(String scheme, Map<String, String> options) {
        Function<SchemeOptions, SignatureScheme> factory = scheme == null ? null : SCHEMES.get(scheme);
        if (factory == null) {
            return List.of("scheme: unknown scheme '" + scheme + "' (known: " + String.join(", ", names()) + ")");
        }
        var reader = new SchemeOptions(scheme, options);
        factory.apply(reader);
        return List.copyOf(reader.problems());
    }

    /**
     * Builds the thread-safe verifier a connector's verify options describe.
     *
     * @throws IllegalArgumentException listing every problem {@link #check} reports, when the options are invalid
     */
    public static SignatureScheme create(String scheme, Map<String, String> options) {
        List<String> problems = check(scheme, options);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid verify options for scheme '" + scheme + "': " + String.join("; ", problems));
        }
        return SCHEMES.get(scheme).apply(new SchemeOptions(scheme, options));
    }
}
