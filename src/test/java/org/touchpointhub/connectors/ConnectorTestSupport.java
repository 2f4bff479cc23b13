package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.touchpointhub.identity.CustomerStore;
import org.touchpointhub.support.HookClient;
import org.touchpointhub.support.HubIntegrationTest;

/**
 * What the connector tests share: fixtures, the vendors' signing (computed here, independently of the hub's
 * verifiers), and questions to the store. Subclasses keep the base configuration, so they all run on one hub.
 */
abstract class ConnectorTestSupport extends HubIntegrationTest {

    @Autowired
    CustomerStore store;

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    /** The exact bytes of a fixture under src/test/resources/fixtures/. */
    static byte[] fixture(String path) {
        try (InputStream in = ConnectorTestSupport.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture as text with some values replaced (pairs of old, new), so tests don't share people or event ids. */
    static byte[] adapted(String path, String... replacements) {
        String text = new String(fixture(path), StandardCharsets.UTF_8);
        for (int i = 0; i < replacements.length; i += 2) {
            assertThat(text).as("fixture %s contains %s", path, replacements[i]).contains(replacements[i]);
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        return utf8(text);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tampered(byte[] body) {
        byte[] copy = body.clone();
        int i = new String(body, StandardCharsets.ISO_8859_1).indexOf('@');
        copy[i < 0 ? copy.length / 2 : i - 1] ^= 0x01;
        return copy;
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String hex(String key, byte[] message) {
        return HexFormat.of().formatHex(HookClient.hmac("HmacSHA256", utf8(key), message));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // --- vendors' signing -------------------------------------------------------------------------------------

    /** {@code t=..,v1=..} over {@code t.body}: Stripe and Calendly. */
    static String stripeStyle(String secret, long t, byte[] body) {
        return "t=" + t + ",v1=" + hex(secret, concat(utf8(t + "."), body));
    }

    HttpResponse<String> postStripe(byte[] body, String secret, long t) {
        return hooks.post("/hooks/stripe", "application/json", body, Map.of("Stripe-Signature", stripeStyle(secret, t, body)));
    }

    HttpResponse<String> postCalendly(byte[] body, String secret, long t) {
        return hooks.post("/hooks/calendly", "application/json", body,
                Map.of("Calendly-Webhook-Signature", stripeStyle(secret, t, body)));
    }

    HttpResponse<String> postPaddle(byte[] body, String secret, long ts) {
        return hooks.post("/hooks/paddle", "application/json", body,
                Map.of("Paddle-Signature", "ts=" + ts + ";h1=" + hex(secret, concat(utf8(ts + ":"), body))));
    }

    HttpResponse<String> postCalcom(byte[] body, String secret) {
        return hooks.post("/hooks/calcom", "application/json", body, Map.of("X-Cal-Signature-256", hex(secret, body)));
    }

    HttpResponse<String> postBasic(String connector, byte[] body, String user, String password) {
        String auth = Base64.getEncoder().encodeToString(utf8(user + ":" + password));
        return hooks.post("/hooks/" + connector, "application/json", body, Map.of("Authorization", "Basic " + auth));
    }

    /** A Mailgun JSON webhook: the event data wrapped with a signature over timestamp + token. */
    static byte[] mailgunBody(byte[] eventData, String key, long timestamp, String token) {
        String signature = hex(key, utf8(timestamp + token));
        return concat(utf8("{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token
                + "\",\"signature\":\"" + signature + "\"},\"event-data\":"), eventData, utf8("}"));
    }

    /** Standard Webhooks headers for a body: {@code webhook-id}, {@code -timestamp}, {@code -signature} (v1). */
    static Map<String, String> standardWebhooks(String secret, String id, long timestamp, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] mac = HookClient.hmac("HmacSHA256", key, concat(utf8(id + "." + timestamp + "."), body));
        return Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(timestamp),
                "webhook-signature", "v1," + Base64.getEncoder().encodeToString(mac));
    }

    /** Posts a Twilio form callback signed the way Twilio signs: URL + sorted decoded parameters, HMAC-SHA1. */
    HttpResponse<String> postTwilio(String connector, byte[] form, String token) {
        String url = hooks.base() + "/hooks/" + connector;
        return hooks.post("/hooks/" + connector, "application/x-www-form-urlencoded", form,
                Map.of("X-Twilio-Signature", twilioSignature(token, url, form)));
    }

    static String twilioSignature(String token, String url, byte[] form) {
        List<String[]> params = new ArrayList<>();
        for (String pair : new String(form, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            params.add(new String[] {URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder data = new StringBuilder(url);
        params.forEach(p -> data.append(p[0]).append(p[1]));
        return Base64.getEncoder().encodeToString(HookClient.hmac("HmacSHA1", utf8(token), utf8(data.toString())));
    }

    /** A multipart/form-data body of text fields, as Jotform posts it; returns {content type, body}. */
    static Object[] multipart(Map<String, String> fields) {
        String boundary = "----hubTestBoundary7MA4YWxkTrZu0gW";
        StringBuilder b = new StringBuilder();
        fields.forEach((name, value) -> b.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        b.append("--").append(boundary).append("--\r\n");
        return new Object[] {"multipart/form-data; boundary=" + boundary, utf8(b.toString())};
    }

    /** Reads a JSON fixture's top-level string fields in order (Jotform's captured field set). */
    static Map<String, String> fields(byte[] json) {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(i == 0 ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    // --- questions to the store ---------------------------------------------------------------------------------

    JsonNode attributes(Map<String, Object> touchpoint) {
        try {
            return JSON.readTree((String) touchpoint.get("attributes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden record of a customer, attribute to value. */
    Map<String, String> golden(long customer) {
        return store.golden(customer);
    }

    /** What the pipeline recorded for an event (mapped, skipped, spam, dead-letter), once processed. */
    String awaitOutcome(String connector, String eventId) {
        await().atMost(WAIT).until(() -> outcome(connector, eventId) != null);
        return outcome(connector, eventId);
    }

    String outcome(String connector, String eventId) {
        return jdbc.queryForList("select outcome from events where connector = ? and event_id = ?", String.class,
                connector, eventId).stream().findFirst().orElse(null);
    }

    long touchpointCount(String connector) {
        return jdbc.queryForObject("select count(*) from touchpoints where connector = ?", Long.class, connector);
    }

    long eventCount(String connector) {
        return jdbc.queryForObject("select count(*) from events where connector = ?", Long.class, connector);
    }

    static String eventId(HttpResponse<String> accepted) {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        try {
            return JSON.readTree(accepted.body()).path("eventId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts a refusal: the status and the problem type's stable slug. */
    static void assertRefused(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            assertThat(JSON.readTree(response.body()).path("type").asText()).endsWith("/" + slug);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
