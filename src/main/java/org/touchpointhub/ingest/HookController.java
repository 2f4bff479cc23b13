package org.touchpointhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.JmsException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.connector.ConnectorDefinition;
import org.touchpointhub.connector.ConnectorRegistry;
import org.touchpointhub.connector.EventMapper;
import org.touchpointhub.mapping.FormBody;

/**
 * The one webhook door, {@code POST /hooks/{connector}}: checks the connector, media type, size and signature,
 * finds the event id and the person's grouping key, and answers {@code 202 {"eventId": …}} only after the raw
 * event sits on the persistent {@code hub.inbound} queue. Anything refused gets an RFC 9457 problem and nothing
 * is queued.
 *
 * <p>This is a Spring MVC controller sending through {@link InboundQueue} (a JmsTemplate on a destination resolved once), not a Camel
 * platform-http route: measured on the target machine the former answered 6,000–10,000 persistent sends/s and the
 * latter about 4,300/s, and the edge is the part whose latency a webhook sender sees.
 */
@RestController
class HookController {

    private static final Logger log = LoggerFactory.getLogger(HookController.class);
    private static final Pattern CONNECTOR_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_EVENT_ID = 200;
    private static final Pattern STRUCTURED_JSON = Pattern.compile("application/[a-z0-9.+-]*\\+json.*");

    private final ConnectorRegistry connectors;
    private final InboundQueue inbound;
    private final EventMapper mapper;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final String publicBaseUrl;
    /** Per connector (a bounded set: configured ids and "unknown"), so a request does not build a meter id twice. */
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();

    private final EdgeLoad edgeLoad;

    HookController(ConnectorRegistry connectors, InboundQueue inbound, ObjectMapper json, MeterRegistry meters,
            Optional<Clock> clock, @Value("${hub.default-region:US}") String region,
            @Value("${hub.public-base-url:}") String publicBaseUrl, EdgeLoad edgeLoad) {
        this.edgeLoad = edgeLoad;
        this.connectors = connectors;
        this.inbound = inbound;
        this.json = json;
        this.meters = meters;
        this.clock = clock.orElse(Clock.systemUTC());
        this.mapper = new EventMapper(region);
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    @PostMapping("/hooks/{connector}")
    ResponseEntity<?> receive(HttpServletRequest request, HttpServletResponse response) {
        // the connector id read from the handler mapping's template variables: a @PathVariable goes through a data
        // binder and type conversion on every request (about 4 % of the edge threads' samples, JFR, #7)
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String connectorId = variables == null ? "" : variables.getOrDefault("connector", "");
        return edgeLoad.serving(() -> receiveCounted(connectorId, request, response));
    }

    private ResponseEntity<?> receiveCounted(String connectorId, HttpServletRequest request, HttpServletResponse response) {
        Instant receivedAt = clock.instant();
        ConnectorDefinition connector = CONNECTOR_ID.matcher(connectorId).matches()
                ? connectors.find(connectorId).filter(c -> c.kind().equals("webhook")).orElse(null) : null;
        String tag = connector == null ? "unknown" : connector.id();
        counter(received, "hub.events.received", tag).increment();
        if (connector == null) {
            return refuse(tag, HttpStatus.NOT_FOUND, "unknown-connector", "Unknown connector", unknownDetail(connectorId));
        }
        if (connector.secretMissing()) {
            return refuse(tag, HttpStatus.SERVICE_UNAVAILABLE, "secret-not-configured", "Connector secret not configured",
                    "Connector '" + connector.id() + "' cannot verify senders until " + String.join(", ", connector.missingSecrets())
                            + " is set; no unverified event is accepted");
        }
        String contentType = Optional.ofNullable(request.getContentType()).orElse("").toLowerCase(Locale.ROOT);
        boolean isJson = contentType.startsWith("application/json") || STRUCTURED_JSON.matcher(contentType).matches();
        boolean isForm = contentType.startsWith("application/x-www-form-urlencoded");
        boolean isMultipart = contentType.startsWith("multipart/form-data");
        if (!isJson && !isForm && !isMultipart) {
            return refuse(tag, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                    "Content-Type '" + abbreviate(contentType) + "' is not accepted; send application/json, "
                            + "application/x-www-form-urlencoded or multipart/form-data");
        }
        if (request.getContentLengthLong() > connector.maxBodySize()) {
            return tooLarge(connector);
        }
        byte[] body;
        Map<String, List<String>> form = Map.of();
        try {
            if (isMultipart) {
                form = multipartFields(request, connector.maxBodySize());
                if (form == null) {
                    return tooLarge(connector);
                }
                body = json.writeValueAsBytes(FormBody.document(form));
            } else {
                body = readLimited(request.getInputStream(), connector.maxBodySize(), request.getContentLengthLong());
                if (body == null) {
                    return tooLarge(connector);
                }
                if (isForm) {
                    form = FormBody.decode(new String(body, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | IllegalStateException | jakarta.servlet.ServletException e) {
            return refuse(tag, HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body",
                    "The body could not be read: " + abbreviate(String.valueOf(e.getMessage())));
        }

        var webhook = new WebhookRequest(request.getMethod(), signedUrl(request), headers(request), query(request), body, form);
        Verification verification = connector.verify().verifier().verify(webhook, receivedAt);
        if (verification instanceof Verification.Refused refused) {
            return refused(tag, connector, refused);
        }

        Object document;
        try {
            document = isForm ? EventMapper.formFields(new String(body, StandardCharsets.UTF_8)) : json.readValue(body, Object.class);
        } catch (IOException e) {
            return refuse(tag, HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body",
                    "The body is not valid JSON (UTF-8): " + abbreviate(firstLine(e.getMessage())));
        }
        if (document == null) {
            return refuse(tag, HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body", "The body is empty");
        }

        String eventId = eventId(connector, webhook, document, body);
        String eventType = connector.event().typeHeader() == null ? null : webhook.header(connector.event().typeHeader());
        String group = groupKey(connector, document, eventId);
        String storedType = isMultipart ? "application/json" : (isForm ? "application/x-www-form-urlencoded" : "application/json");
        try {
            inbound.send(new InboundEnvelope(connector.id(), eventId, eventType, group, receivedAt, storedType, body));
        } catch (JmsException e) {
            // InboundQueue logs the outage once when it starts; a line per refused event would flood the log
            log.debug("Cannot queue an event of connector {}: {}", connector.id(), firstLine(String.valueOf(e.getMessage())));
            return refuse(tag, HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Broker unavailable",
                    "The event could not be queued durably and was not accepted. Retry later: if it was queued after all, "
                            + "the retry is recognised by its event id and processed once.");
        }
        counter(accepted, "hub.events.accepted", tag).increment();
        return accepted(response, eventId);
    }

    /**
     * Writes the 202 and its body itself and returns null, which tells Spring MVC the response is handled. Why: a
     * Jackson serialization of a one-entry map cost more than the JMS send's client side, and even a byte-array
     * {@code ResponseEntity} goes through content negotiation and the message converters, about a tenth of the edge
     * threads' samples in a JFR profile of the bench (#7).
     */
    private static ResponseEntity<?> accepted(HttpServletResponse response, String eventId) {
        byte[] answer = ("{\"eventId\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(eventId)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpStatus.ACCEPTED.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.length);
        try {
            response.getOutputStream().write(answer);
        } catch (IOException e) {
            // the event is queued: a sender that went away retries, and the retry is recognised by its event id
            log.debug("Could not write a 202 answer: {}", e.getMessage());
        }
        return null;
    }

    private Counter counter(Map<String, Counter> cache, String name, String connector) {
        return cache.computeIfAbsent(connector, c -> meters.counter(name, "connector", c));
    }

    /** Some senders (Mailchimp) check a webhook URL with a GET before they send to it. */
    @GetMapping("/hooks/{connector}")
    ResponseEntity<?> check(@PathVariable("connector") String connectorId) {
        if (!CONNECTOR_ID.matcher(connectorId).matches() || connectors.find(connectorId).isEmpty()) {
            return Problems.of(HttpStatus.NOT_FOUND, "unknown-connector", "Unknown connector", unknownDetail(connectorId));
        }
        return ResponseEntity.ok(Map.of("connector", connectorId, "status", "ready"));
    }

    private ResponseEntity<?> refused(String tag, ConnectorDefinition connector, Verification.Refused refused) {
        return switch (refused.reason()) {
            case STALE_TIMESTAMP -> refuse(tag, HttpStatus.BAD_REQUEST, "stale-timestamp", "Stale timestamp",
                    "Connector '" + connector.id() + "': " + refused.detail());
            case MISSING_SIGNATURE -> refuse(tag, HttpStatus.UNAUTHORIZED, "missing-signature", "Missing signature",
                    "Connector '" + connector.id() + "': " + refused.detail());
            case REPLAYED -> refuse(tag, HttpStatus.UNAUTHORIZED, "replayed-request", "Replayed request",
                    "Connector '" + connector.id() + "': " + refused.detail());
            default -> refuse(tag, HttpStatus.UNAUTHORIZED, "bad-signature", "Bad signature",
                    "Connector '" + connector.id() + "': " + refused.detail());
        };
    }

    /**
     * A request the checks above did not foresee is the sender's fault, not a server error: answer with a problem,
     * never a stack trace, and queue nothing.
     */
    @org.springframework.web.bind.annotation.ExceptionHandler(RuntimeException.class)
    ResponseEntity<?> unforeseen(RuntimeException e) {
        log.warn("Refused a webhook that failed an unforeseen check: {}", e.getClass().getSimpleName());
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                "The request could not be read as a webhook");
    }

    /** Names the connector only when it is a well-formed id: a sender's hostile text is never echoed. */
    private static String unknownDetail(String connectorId) {
        return CONNECTOR_ID.matcher(connectorId).matches()
                ? "No webhook connector named '" + connectorId + "' is configured (connectors/" + connectorId + ".yaml)"
                : "A connector id is lower-case letters, digits and dashes; no such connector is configured";
    }

    private ResponseEntity<?> tooLarge(ConnectorDefinition connector) {
        return refuse(connector.id(), HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
                "Connector '" + connector.id() + "' accepts bodies up to " + connector.maxBodySize() + " bytes");
    }

    private ResponseEntity<?> refuse(String tag, HttpStatus status, String slug, String title, String detail) {
        meters.counter("hub.events.rejected", "connector", tag, "reason", slug).increment();
        return Problems.of(status, slug, title, detail);
    }

    private String eventId(ConnectorDefinition connector, WebhookRequest webhook, Object document, byte[] body) {
        String id = null;
        if (connector.event().idHeader() != null) {
            id = webhook.header(connector.event().idHeader());
        } else if (connector.event().id() != null) {
            try {
                id = mapper.text(connector.event().id(), document);
            } catch (RuntimeException e) {
                id = null; // fall back to the body hash below
            }
        }
        if (id == null || id.isBlank() || id.length() > MAX_EVENT_ID || id.chars().anyMatch(Character::isISOControl)) {
            // no usable vendor id: the same bytes are the same event, so a retry is still recognised
            id = (id == null || id.isBlank() ? "sha256:" : "sha256:") + sha256(id == null || id.isBlank() ? body : id.getBytes(StandardCharsets.UTF_8));
        }
        return id;
    }

    private String groupKey(ConnectorDefinition connector, Object document, String eventId) {
        if (connector.event().group() != null) {
            String g;
            try {
                g = mapper.text(connector.event().group(), document);
            } catch (RuntimeException e) {
                g = null; // a group key is an optimisation: an unreadable one must not refuse the event
            }
            if (g != null && !g.isBlank()) {
                g = g.strip().toLowerCase(Locale.ROOT);
                return g.length() > 200 ? sha256(g.getBytes(StandardCharsets.UTF_8)) : g;
            }
        }
        return connector.id() + ":" + eventId;
    }

    private String signedUrl(HttpServletRequest request) {
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        if (!publicBaseUrl.isEmpty()) {
            return publicBaseUrl + request.getRequestURI() + query;
        }
        return request.getRequestURL() + query;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            if (name.regionMatches(true, 0, "Hub", 0, 3) || name.regionMatches(true, 0, "Camel", 0, 5)) {
                continue; // our own header names are never taken from a sender
            }
            out.put(name, Collections.list(request.getHeaders(name)));
        }
        return out;
    }

    private static Map<String, List<String>> query(HttpServletRequest request) {
        return request.getQueryString() == null ? Map.of() : FormBody.decode(request.getQueryString());
    }

    private static Map<String, List<String>> multipartFields(HttpServletRequest request, long limit)
            throws IOException, jakarta.servlet.ServletException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        long total = 0;
        for (Part part : request.getParts()) {
            total += part.getSize();
            if (total > limit) {
                return null;
            }
            try (InputStream in = part.getInputStream()) {
                out.computeIfAbsent(part.getName(), k -> new ArrayList<>())
                        .add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] readLimited(InputStream in, long limit, long contentLength) throws IOException {
        if (contentLength >= 0 && contentLength <= limit) {
            // the declared length, read into an array of that size: readNBytes(limit) reads through 8 KB buffers and
            // copies them together (measured by JFR as a visible share of the edge's allocation, #7). The servlet
            // stream ends at the declared length, so nothing more can follow.
            byte[] bytes = new byte[(int) contentLength];
            int n = in.readNBytes(bytes, 0, bytes.length);
            return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return bytes.length > limit ? null : bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "…";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
