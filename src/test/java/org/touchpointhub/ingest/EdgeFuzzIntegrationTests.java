package org.touchpointhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/**
 * Seeded random and hostile requests at the edge: whatever the body, headers, encoding or connector id, the hub
 * answers with a deliberate status (never a 5xx other than 503), never leaks a stack trace, and keeps serving.
 * The seed is printed, so a failure can be replayed.
 */
class EdgeFuzzIntegrationTests extends HubIntegrationTest {

    private static final List<String> CONNECTORS = List.of("typeform", "webform", "stripe", "nope", "TYPEFORM", "..",
            "a".repeat(200), "%00", "web%2Fform", "typeform%20");
    private static final List<String> TYPES = List.of("application/json", "application/json; charset=utf-16",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "text/plain", "application/xml",
            "application/vnd.api+json", "", "*/*", "application/json; charset=\u00ff");
    private static final List<String> HOSTILE = List.of("'; DROP TABLE events;--", "<script>alert(1)</script>",
            "\u0000\u0001\u001b[2J", "\ud83d\ude00", "%s%n%x", "${jndi:ldap://127.0.0.1/x}", "\\u0000", "{{7*7}}",
            "\u202e\u200b", "../../etc/passwd");

    @Test // #7
    void randomAndHostileRequestsNeverCrashTheEdge() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("[#7 fuzz] seed " + seed);
        Random r = new Random(seed);

        for (int i = 0; i < 300; i++) {
            String connector = CONNECTORS.get(r.nextInt(CONNECTORS.size()));
            String type = TYPES.get(r.nextInt(TYPES.size()));
            byte[] body = body(r);
            Map<String, String> headers = new LinkedHashMap<>();
            if (r.nextBoolean()) {
                headers.put("Typeform-Signature", r.nextBoolean() ? "sha256=" + garbage(r, 44) : garbage(r, 10));
            }
            if (r.nextInt(4) == 0) {
                headers.put("X-Hub-Anything", garbage(r, 20));
            }
            String query = r.nextBoolean() ? "?token=" + (r.nextBoolean() ? TestSecrets.WEBFORM
                    : java.net.URLEncoder.encode(garbage(r, 8), StandardCharsets.UTF_8)) : "";

            HttpResponse<String> response;
            try {
                response = hooks.post("/hooks/" + connector + query, type.isEmpty() ? null : type, body, headers);
            } catch (IllegalStateException | IllegalArgumentException e) {
                continue; // the client refused to build the request (an illegal header value): nothing reached the hub
            }

            assertThat(response.statusCode()).as("seed %d, request %d: %s", seed, i, response.body())
                    .isIn(202, 400, 401, 404, 413, 415, 503);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }

        assertThat(admin.raw("/actuator/health", null).statusCode()).isEqualTo(200);
        awaitIdle();
    }

    private static byte[] body(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] b = new byte[r.nextInt(2048)];
                r.nextBytes(b);
                yield b;
            }
            case 2 -> ("{\"event_id\":\"" + HOSTILE.get(r.nextInt(HOSTILE.size())) + "\",\"event_type\":\"form_response\","
                    + "\"form_response\":{\"answers\":[{\"type\":\"email\",\"email\":\"" + HOSTILE.get(r.nextInt(HOSTILE.size()))
                    + "\"}]}}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("email=" + HOSTILE.get(r.nextInt(HOSTILE.size())) + "&name=%ZZ%&&==&phone=" + garbage(r, 30))
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".repeat(r.nextInt(50) + 1)
                    .getBytes(StandardCharsets.UTF_8);
            default -> ("{\"a\":" + "1".repeat(r.nextInt(400)) + ",\"b\":\"\\ud800\"}").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String garbage(Random r, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) (33 + r.nextInt(94)));
        }
        return s.toString();
    }
}
