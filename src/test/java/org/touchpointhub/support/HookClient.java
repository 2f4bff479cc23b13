package org.touchpointhub.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Posts webhooks to the hub through its real HTTP port, as a vendor would. */
public final class HookClient {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HookClient(String base) {
        this.base = base;
    }

    /** The hub's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String base() {
        return base;
    }

    /** Posts raw bytes with a content type and headers to {@code /hooks/{connector}[?query]}. */
    public HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + pathAndQuery + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a Typeform-signed JSON body to {@code /hooks/typeform}. */
    public HttpResponse<String> typeform(byte[] body, String secret) {
        return post("/hooks/typeform", "application/json", body, Map.of("Typeform-Signature", "sha256=" + hmacBase64(secret, body)));
    }

    /** Base64 HMAC-SHA256 of the body. */
    public static String hmacBase64(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** Raw HMAC. */
    public static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
