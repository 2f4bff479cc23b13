package org.touchpointhub.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code twilio}: {@code X-Twilio-Signature}, base64 HMAC-SHA1 keyed with the Auth Token over the full URL followed,
 * for form posts, by every decoded POST parameter as {@code name + value} sorted by name (a repeated name's values in
 * sorted order); JSON posts instead carry {@code bodySHA256} in the URL's query and the signature covers the URL alone
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security). Options: {@code secret}, {@code previous-secret}.
 */
final class TwilioScheme implements SignatureScheme {

    private static final String HEADER = "X-Twilio-Signature";

    private final List<byte[]> keys;

    TwilioScheme(SchemeOptions o) {
        this.keys = o.rotating("secret").stream().map(Signing::utf8).toList();
    }

    @Override
    public Verification verify(WebhookRequest request, Instant now) {
        String header = request.header(HEADER);
        if (header == null || header.isBlank()) {
            return Verification.refused(Verification.Reason.MISSING_SIGNATURE, "no " + HEADER + " header");
        }
        byte[] signature = Signing.base64(header);
        String params = "";
        String bodyHash = request.queryParam("bodySHA256");
        if (bodyHash != null) {
            byte[] actual = Signing.utf8(HexFormat.of().formatHex(Signing.sha256(request.body())));
            if (!Signing.matches(actual, Signing.utf8(bodyHash.toLowerCase(Locale.ROOT)))) {
                return Verification.refused(Verification.Reason.BAD_SIGNATURE, "body does not match bodySHA256");
            }
        } else {
            params = sortedParams(request.form());
        }
        boolean match = false;
        for (String url : urlVariants(request.url())) {
            byte[] message = Signing.utf8(url + params);
            for (byte[] key : keys) {
                match |= Signing.matches(Signing.hmac("HmacSHA1", key, message), signature);
            }
        }
        if (!match) {
            return Verification.refused(Verification.Reason.BAD_SIGNATURE, HEADER + " does not match URL and parameters");
        }
        return Verification.verified();
    }

    private static String sortedParams(Map<String, List<String>> form) {
        var out = new StringBuilder();
        for (Map.Entry<String, List<String>> param : new TreeMap<>(form).entrySet()) {
            List<String> values = new ArrayList<>(param.getValue());
            values.sort(null);
            for (String value : values) {
                out.append(param.getKey()).append(value);
            }
        }
        return out.toString();
    }

    /**
     * The URL as received plus the variant Twilio may have signed instead: with an explicit port removed, or with
     * the scheme's default port (:443/:80) added, as Twilio's own validators do.
     */
    static List<String> urlVariants(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return List.of(url);
        }
        int hostStart = schemeEnd + 3;
        int hostEnd = hostStart;
        while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        String authority = url.substring(hostStart, hostEnd);
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon > authority.lastIndexOf(']') && colon > authority.lastIndexOf('@');
        if (hasPort) {
            return List.of(url, url.substring(0, hostStart + colon) + url.substring(hostEnd));
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String port = scheme.equals("https") ? ":443" : scheme.equals("http") ? ":80" : null;
        return port == null ? List.of(url) : List.of(url, url.substring(0, hostEnd) + port + url.substring(hostEnd));
    }
}
