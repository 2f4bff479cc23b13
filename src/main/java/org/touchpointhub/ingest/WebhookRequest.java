package org.touchpointhub.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A webhook request as the edge received it: the exact body bytes (signatures cover bytes, so the body is
 * never re-serialised), the headers, the query parameters and the URL the sender signed.
 *
 * @param method     HTTP method, upper case
 * @param url        the full URL the sender called (scheme, host, path and query as sent): {@code hub.public-base-url}
 *                   when configured, else the URL as the request arrived; Twilio and HubSpot v3 sign it
 * @param headers    header values by name; look-ups through {@link #header(String)} ignore case
 * @param query      query parameters by name, decoded
 * @param body       the raw body bytes
 * @param form       decoded {@code application/x-www-form-urlencoded} or multipart fields (empty for JSON bodies)
 */
public record WebhookRequest(String method, String url, Map<String, List<String>> headers,
        Map<String, List<String>> query, byte[] body, Map<String, List<String>> form) {

    /** Copies the maps, making header look-ups ignore case. */
    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        var ci = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(Objects.requireNonNull(headers, "headers"));
        headers = ci;
        query = Map.copyOf(Objects.requireNonNull(query, "query"));
        form = Map.copyOf(Objects.requireNonNull(form, "form"));
    }

    /** The first value of a header, ignoring case, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
