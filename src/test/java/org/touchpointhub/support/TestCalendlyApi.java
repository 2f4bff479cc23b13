package org.touchpointhub.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stub of Calendly's API v2 on a loopback port, started once per JVM before the hub: {@code GET /scheduled_events}
 * (organization, min_start_time, sort by start time, count and page_token, with {@code pagination.next_page}) and
 * {@code GET /scheduled_events/{uuid}/invitees}, in the shapes of https://developer.calendly.com/api-docs. Tests add
 * meetings, read the requests it saw, and can make it answer 500.
 */
public final class TestCalendlyApi {

    /** The token the hub must present as {@code Authorization: Bearer …}. */
    public static final String TOKEN = "test-calendly-token";
    /** The organization the hub must ask for. */
    public static final String ORGANIZATION = "https://api.calendly.com/organizations/TESTORG";
    /** Meetings per page, small so two pages show the next links. */
    public static final int PAGE_SIZE = 2;

    /** One request the stub saw: its path, its decoded query parameters, its status and when. */
    public record Request(String path, Map<String, String> query, int status, long nanos) {}

    private static TestCalendlyApi api;

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private final Map<String, List<Map<String, Object>>> invitees = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    private TestCalendlyApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/scheduled_events", this::handle);
        server.start();
    }

    /** The running stub, started on first use. */
    public static synchronized TestCalendlyApi get() {
        if (api == null) {
            try {
                api = new TestCalendlyApi();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return api;
    }

    /** The base URL, in place of https://api.calendly.com. */
    public static String baseUrl() {
        return "http://127.0.0.1:" + get().server.getAddress().getPort();
    }

    /** Adds a one-on-one meeting with one invitee; returns the meeting's UUID. */
    public String addMeeting(String uuid, Instant start, String email, String name, String status, String utmSource) {
        String uri = baseUrl() + "/scheduled_events/" + uuid;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("uri", uri);
        event.put("name", "30 Minute Meeting");
        event.put("status", status);
        event.put("start_time", start.toString());
        event.put("end_time", start.plusSeconds(1800).toString());
        event.put("event_type", "https://api.calendly.com/event_types/TESTTYPE");
        event.put("location", Map.of("type", "google_conference"));
        event.put("created_at", start.minusSeconds(86400).toString());
        event.put("updated_at", start.minusSeconds(86400).toString());
        event.put("event_memberships", List.of(Map.of("user", "https://api.calendly.com/users/HOST",
                "user_email", "host@hub.test", "user_name", "Host")));
        Map<String, Object> invitee = new LinkedHashMap<>();
        invitee.put("uri", uri + "/invitees/" + uuid + "-INV");
        invitee.put("email", email);
        invitee.put("name", name);
        invitee.put("status", status);
        invitee.put("timezone", "America/New_York");
        invitee.put("created_at", start.minusSeconds(86400).toString());
        invitee.put("updated_at", start.minusSeconds(86400).toString());
        invitee.put("rescheduled", false);
        invitee.put("event", uri);
        Map<String, Object> tracking = new LinkedHashMap<>();
        tracking.put("utm_source", utmSource);
        tracking.put("utm_medium", "cpc");
        tracking.put("utm_campaign", "spring");
        tracking.put("utm_term", null);
        tracking.put("utm_content", null);
        invitee.put("tracking", tracking);
        if (status.equals("canceled")) {
            invitee.put("cancellation", Map.of("canceled_by", name, "reason", "Conflict", "canceler_type", "invitee",
                    "created_at", start.minusSeconds(3600).toString()));
        }
        invitees.put(uuid, List.of(invitee));
        events.add(event);
        events.sort((a, b) -> ((String) a.get("start_time")).compareTo((String) b.get("start_time")));
        return uuid;
    }

    /** Every request seen so far. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Makes every request fail with 500 (true) or be answered again (false). */
    public void failing(boolean fail) {
        failing.set(fail);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        int status;
        Object body;
        if (failing.get()) {
            status = 500;
            body = Map.of("title", "Internal Server Error", "message", "stub failure");
        } else if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            body = Map.of("title", "Unauthenticated", "message", "The access token is invalid");
        } else if (path.equals("/scheduled_events")) {
            status = 200;
            body = eventsPage(query);
        } else if (path.endsWith("/invitees")) {
            String uuid = path.substring("/scheduled_events/".length(), path.length() - "/invitees".length());
            status = 200;
            body = Map.of("collection", invitees.getOrDefault(uuid, List.of()), "pagination", pagination(null));
        } else {
            status = 404;
            body = Map.of("title", "Resource Not Found");
        }
        requests.add(new Request(path, query, status, System.nanoTime()));
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Map<String, Object> eventsPage(Map<String, String> query) {
        if (!ORGANIZATION.equals(query.get("organization"))) {
            return Map.of("collection", List.of(), "pagination", pagination(null));
        }
        String min = query.get("min_start_time");
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if (min == null || Instant.parse((String) e.get("start_time")).compareTo(Instant.parse(min)) >= 0) {
                matching.add(e);
            }
        }
        int from = Integer.parseInt(query.getOrDefault("page_token", "0"));
        int count = Math.min(PAGE_SIZE, Integer.parseInt(query.getOrDefault("count", "20")));
        int to = Math.min(matching.size(), from + count);
        String next = null;
        if (to < matching.size()) {
            next = baseUrl() + "/scheduled_events?organization=" + enc(ORGANIZATION) + "&count=" + query.get("count")
                    + (min == null ? "" : "&min_start_time=" + enc(min)) + "&page_token=" + to;
        }
        return Map.of("collection", matching.subList(from, to), "pagination", pagination(next));
    }

    private static Map<String, Object> pagination(String next) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", PAGE_SIZE);
        p.put("next_page", next);
        p.put("previous_page", null);
        p.put("next_page_token", next == null ? null : next.substring(next.lastIndexOf('=') + 1));
        p.put("previous_page_token", null);
        return p;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
