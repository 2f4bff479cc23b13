package org.touchpointhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.JmsException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.touchpointhub.canonical.InboundEnvelope;

/**
 * The Segment-compatible tracking API ({@code POST /v1/identify}, {@code /v1/track}, {@code /v1/page},
 * {@code /v1/batch}, and the short aliases {@code /v1/i}, {@code /t}, {@code /p}), so analytics.js, analytics-java
 * and the other Segment libraries can send site visits to the hub by pointing their host at it. The write key is the
 * HTTP Basic user (empty password) or the body's {@code writeKey}, checked against {@code SEGMENT_WRITE_KEY}. Each
 * call (each item of a batch) becomes one envelope of the {@code segment} connector on {@code hub.inbound}, its
 * {@code messageId} the event id and its {@code anonymousId} (else {@code userId}) the message group, so one
 * visitor's calls are processed in order; the answer is Segment's {@code 200 {"success":true}} only after every
 * envelope is queued. Limits as Segment's: 32 KB a call, 500 KB a batch (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size).
 */
@RestController
class TrackingController {

    private static final Logger log = LoggerFactory.getLogger(TrackingController.class);
    private static final String CONNECTOR = "segment";
    private static final int MAX_CALL = 32 * 1024;
    private static final int MAX_BATCH = 500 * 1024;
    private static final Map<String, String> CALLS = Map.of("identify", "identify", "i", "identify", "track", "track",
            "t", "track", "page", "page", "p", "page", "screen", "screen", "group", "group", "alias", "alias");
    private static final Set<String> BATCH_TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");

    private final InboundQueue inbound;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final byte[] writeKey;

    private final EdgeLoad edgeLoad;

    TrackingController(InboundQueue inbound, ObjectMapper json, MeterRegistry meters, Optional<Clock> clock,
            @Value("${SEGMENT_WRITE_KEY:}") String writeKey, EdgeLoad edgeLoad) {
        this.edgeLoad = edgeLoad;
        this.inbound = inbound;
        this.json = json;
        this.meters = meters;
        this.clock = clock.orElse(Clock.systemUTC());
        this.writeKey = writeKey.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping({"/v1/{call}"})
    ResponseEntity<?> receive(@PathVariable("call") String call, HttpServletRequest request) {
        return edgeLoad.serving(() -> receiveCounted(call, request));
    }

    private ResponseEntity<?> receiveCounted(String call, HttpServletRequest request) {
        Instant receivedAt = clock.instant();
        boolean batch = call.equals("batch") || call.equals("b");
        String type = CALLS.get(call);
        if (!batch && type == null) {
            return refuse(HttpStatus.NOT_FOUND, "unknown-call", "Unknown tracking call",
                    "The tracking API takes /v1/identify, /v1/track, /v1/page and /v1/batch");
        }
        if (writeKey.length == 0) {
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "secret-not-configured", "Write key not configured",
                    "The tracking API accepts nothing until SEGMENT_WRITE_KEY is set");
        }
        int limit = batch ? MAX_BATCH : MAX_CALL;
        byte[] body;
        try {
            body = request.getInputStream().readNBytes(limit + 1);
        } catch (IOException e) {
            return refuse(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body", "The body could not be read");
        }
        if (body.length > limit) {
            return refuse(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
                    (batch ? "A batch" : "A call") + " may be at most " + (limit / 1024) + " KB");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return refuse(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body", "The body is not a JSON object");
        }
        if (!authorized(request, root)) {
            return refuse(HttpStatus.UNAUTHORIZED, "bad-write-key", "Bad write key",
                    "Send the source's write key as the HTTP Basic user name (empty password) or as writeKey");
        }
        List<ObjectNode> calls = new ArrayList<>();
        if (batch) {
            JsonNode items = root.path("batch");
            if (!items.isArray()) {
                return refuse(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body", "A batch needs a 'batch' array");
            }
            for (JsonNode item : items) {
                if (!item.isObject() || !BATCH_TYPES.contains(item.path("type").asText())) {
                    return refuse(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body",
                            "Each batch item is an object whose type is identify, track, page, screen, group or alias");
                }
                ObjectNode copy = ((ObjectNode) item).deepCopy();
                // batch-level context (analytics-java, analytics-node) applies to every item that has none of its own
                if (!copy.has("context") && root.has("context")) {
                    copy.set("context", root.get("context"));
                }
                calls.add(copy);
            }
        } else {
            ObjectNode copy = ((ObjectNode) root).deepCopy();
            copy.put("type", type);
            calls.add(copy);
        }
        try {
            for (ObjectNode c : calls) {
                c.remove("writeKey");
                if (!c.hasNonNull("anonymousId") && !c.hasNonNull("userId")) {
                    return refuse(HttpStatus.BAD_REQUEST, "missing-identity", "Missing identity",
                            "Every call needs an anonymousId or a userId");
                }
                inbound.send(envelope(c, receivedAt));
            }
        } catch (JmsException e) {
            log.warn("Cannot queue a tracking call: {}", e.getClass().getSimpleName());
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Broker unavailable",
                    "The calls could not be queued durably; retry later");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a tracking call as JSON", e);
        }
        meters.counter("hub.events.accepted", "connector", CONNECTOR).increment(calls.size());
        return ResponseEntity.ok(Map.of("success", true));
    }

    private InboundEnvelope envelope(ObjectNode call, Instant receivedAt) throws IOException {
        call.put("receivedAt", receivedAt.toString());
        String messageId = call.path("messageId").asText("");
        byte[] bytes = json.writeValueAsBytes(call);
        String eventId = messageId.isBlank() || messageId.length() > 200
                // no messageId: hash without our receivedAt, so a library's retry of the same call is the same event
                ? "sha256:" + HookController.sha256(json.writeValueAsBytes(call.deepCopy().without("receivedAt")))
                : messageId;
        String anonymous = call.path("anonymousId").asText("");
        String group = CONNECTOR + ":" + (anonymous.isBlank() ? call.path("userId").asText() : anonymous);
        return new InboundEnvelope(CONNECTOR, eventId, null, group, receivedAt, "application/json", bytes);
    }

    private boolean authorized(HttpServletRequest request, JsonNode root) {
        String presented = null;
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                presented = colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                presented = null;
            }
        }
        if (presented == null && root.hasNonNull("writeKey")) {
            presented = root.get("writeKey").asText();
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), writeKey);
    }

    private ResponseEntity<?> refuse(HttpStatus status, String slug, String title, String detail) {
        meters.counter("hub.events.rejected", "connector", CONNECTOR, "reason", slug).increment();
        return Problems.of(status, slug, title, detail);
    }
}
