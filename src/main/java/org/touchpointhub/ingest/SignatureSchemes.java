package org.touchpointhub.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** TEMPORARY: replaced by the full scheme catalogue on branch sig. */
public final class SignatureSchemes {
    private SignatureSchemes() {}

    public static Set<String> names() {
        return Set.of("token", "typeform");
    }

    public static List<String> check(String scheme, Map<String, String> options) {
        List<String> p = new ArrayList<>();
        if (!names().contains(scheme)) p.add("scheme: unknown scheme '" + scheme + "'");
        if (!options.containsKey("secret")) p.add("secret: required");
        return p;
    }

    public static SignatureScheme create(String scheme, Map<String, String> options) {
        String secret = options.get("secret");
        if (scheme.equals("token")) {
            return (r, now) -> {
                String t = r.queryParam(options.getOrDefault("query", "token"));
                if (t == null) return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "token missing");
                return MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))
                        ? Verification.verified() : Verification.refused(Verification.Reason.BAD_SIGNATURE, "token wrong");
            };
        }
        return (r, now) -> {
            String h = r.header("Typeform-Signature");
            if (h == null) return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "Typeform-Signature missing");
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String expected = "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
                return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), h.getBytes(StandardCharsets.UTF_8))
                        ? Verification.verified() : Verification.refused(Verification.Reason.BAD_SIGNATURE, "signature does not match");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
