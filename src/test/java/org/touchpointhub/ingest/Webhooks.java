package org.touchpointhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Test support: fixture loading, request building and an independent HMAC for computing expected signatures. */
final class Webhooks {

    private Webhooks() {
    }

    /** The exact bytes of a fixture under src/test/resources/fixtures/. */
    static byte[] fixture(String path) {
        try (InputStream in = Webhooks.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String path) {
        try {
            return new ObjectMapper().readTree(fixture(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
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
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacSha256Hex(String key, byte[] message) {
        return HexFormat.of().formatHex(hmac("HmacSHA256", utf8(key), message));
    }

    static String hmacSha256Base64(String key, byte[] message) {
        return Base64.getEncoder().encodeToString(hmac("HmacSHA256", utf8(key), message));
    }

    /** The refusal reason, or {@code null} when verified. */
    static Verification.Reason reason(Verification verification) {
        return verification instanceof Verification.Refused ? ((Verification.Refused) verification).reason() : null;
    }

    static String detail(Verification verification) {
        return verification instanceof Verification.Refused ? ((Verification.Refused) verification).detail() : "";
    }

    static Builder post(String url) {
        return new Builder("POST", url);
    }

    /** Builds a {@link WebhookRequest}; query parameters are parsed from the URL. */
    static final class Builder {

        private final String method;
        private final String url;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final Map<String, List<String>> form = new LinkedHashMap<>();
        private byte[] body = new byte[0];

        Builder(String method, String url) {
            this.method = method;
            this.url = url;
        }

        Builder header(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        Builder body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Builder body(String text) {
            return body(utf8(text));
        }

        /** Sets a form-encoded body and its decoded fields, as the edge would. */
        Builder formBody(String encoded) {
            this.body = utf8(encoded);
            form.clear();
            form.putAll(parse(encoded));
            return this;
        }

        Builder formField(String name, String value) {
            form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        WebhookRequest build() {
            int q = url.indexOf('?');
            Map<String, List<String>> query = q < 0 ? Map.of() : parse(url.substring(q + 1));
            return new WebhookRequest(method, url, headers, query, body, form);
        }

        private static Map<String, List<String>> parse(String encoded) {
            var fields = new LinkedHashMap<String, List<String>>();
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
            return fields;
        }
    }
}
