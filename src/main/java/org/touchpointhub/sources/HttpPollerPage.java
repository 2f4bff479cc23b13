package org.touchpointhub.sources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.HubHeaders;

/**
 * The page handling of the {@code http-poller} route template (bean {@code httpPollerPage}): builds the first request
 * of a sweep from the cursor kept in PostgreSQL, reads a JSON page into its items and next link, moves the cursor
 * once a page's items are queued, and backs off after a failed request.
 *
 * <p>Why this design: the HTTP calls stay in the YAML route (camel-http), so an admin sees every request; this bean
 * only keeps the state that must survive a restart. The cursor is written after the items it covers are on
 * {@code hub.inbound}, never before: a crash between the two re-reads a page, which the event ids turn into no-ops,
 * whereas the opposite order would skip it. Two cursor kinds cover the common APIs: with {@code HubPollerCursorPath}
 * the cursor is that field of a page's last item (an API sorted by an updated-since field) and moves after every
 * page; without it the cursor is the time the sweep began and moves after its last page, for APIs such as
 * Calendly's whose only filter is a time every new record is later than (a meeting starts after it is booked).
 * The back-off is in memory: a restart simply tries again.
 */
@Component("httpPollerPage")
public class HttpPollerPage {

    /** Exchange property: the poller's id, the key of its cursor. */
    public static final String POLLER_ID = "HubPollerId";
    /** Exchange property: the API's URL (its query may carry fixed parameters). */
    public static final String URL = "HubPollerUrl";
    /** Exchange property: the query parameter that carries the cursor. */
    public static final String CURSOR_PARAM = "HubPollerCursorParam";
    /** Exchange property: JSONPath of the cursor in a page's last item, or blank for the sweep's start time. */
    public static final String CURSOR_PATH = "HubPollerCursorPath";
    /** Exchange property: the cursor of a poller that has none yet, or blank to send no cursor. */
    public static final String INITIAL_CURSOR = "HubPollerInitialCursor";
    /** Exchange property: JSONPath of the next page's URL in a page, or blank when the API has one page. */
    public static final String NEXT_LINK_PATH = "HubPollerNextLinkPath";
    /** Exchange property: JSONPath of the item array in a page. */
    public static final String ITEMS_PATH = "HubPollerItemsPath";
    /** Exchange property: JSONPath of an item's id, its event id on {@code hub.inbound}. */
    public static final String ITEM_ID_PATH = "HubPollerItemIdPath";
    /** Exchange property: the poll interval in milliseconds, the first step of the back-off. */
    public static final String INTERVAL = "HubPollerInterval";
    /** Exchange property: true while the sweep has another page to read. */
    public static final String MORE = "HubPollerMore";

    private static final String NEXT = "HubPollerNext";
    private static final String PAGE_CURSOR = "HubPollerPageCursor";
    private static final String SWEEP_START = "HubPollerSweepStart";
    private static final Logger log = LoggerFactory.getLogger(HttpPollerPage.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration maxBackoff;
    private final Configuration jsonPath = Configuration.defaultConfiguration()
            .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

    HttpPollerPage(JdbcTemplate jdbc, ObjectMapper json, Optional<Clock> clock,
            @Value("${hub.pollers.max-backoff:15m}") Duration maxBackoff) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
        this.maxBackoff = maxBackoff;
    }

    /** Starts a sweep: sets {@link #MORE} and the first request from the stored cursor, unless the poller backs off. */
    public void start(Exchange exchange) {
        String poller = required(exchange, POLLER_ID);
        Backoff backoff = backoffs.get(poller);
        Instant now = clock.instant();
        if (backoff != null && now.isBefore(backoff.until())) {
            exchange.setProperty(MORE, false);
            return;
        }
        String cursor = cursor(poller).orElse(property(exchange, INITIAL_CURSOR));
        String param = property(exchange, CURSOR_PARAM);
        exchange.setProperty(SWEEP_START, now);
        exchange.setProperty(NEXT, withQuery(required(exchange, URL), param.isEmpty() || cursor.isEmpty() ? null : param, cursor));
        exchange.setProperty(MORE, true);
        request(exchange);
    }

    /** Reads the page in the body into its items (the new body), remembering its next link and cursor. */
    public List<Object> page(Exchange exchange) throws Exception {
        String text = exchange.getMessage().getBody(String.class);
        Object page = json.readValue(text == null || text.isBlank() ? "{}" : text, Object.class);
        Object items = read(page, required(exchange, ITEMS_PATH));
        if (!(items instanceof List<?> list)) {
            throw new IllegalStateException("poller " + exchange.getProperty(POLLER_ID) + ": " + property(exchange, ITEMS_PATH)
                    + " is not an array in the API's answer");
        }
        String nextPath = property(exchange, NEXT_LINK_PATH);
        Object next = nextPath.isEmpty() ? null : read(page, nextPath);
        exchange.setProperty(NEXT, next == null || next.toString().isBlank() ? null : next.toString());
        String cursorPath = property(exchange, CURSOR_PATH);
        Object last = list.isEmpty() || cursorPath.isEmpty() ? null : read(list.get(list.size() - 1), cursorPath);
        exchange.setProperty(PAGE_CURSOR, last == null ? null : last.toString());
        return new ArrayList<>(list);
    }

    /** Sets the event id of one item of a page (the body) from {@link #ITEM_ID_PATH}. */
    public void item(Exchange exchange) {
        Object id = read(exchange.getMessage().getBody(), required(exchange, ITEM_ID_PATH));
        if (id == null || id.toString().isBlank()) {
            throw new IllegalArgumentException("poller " + exchange.getProperty(POLLER_ID) + ": an item has no "
                    + property(exchange, ITEM_ID_PATH));
        }
        exchange.getMessage().setHeader(HubHeaders.EVENT_ID, id.toString());
    }

    /** Called after a page's items are queued: moves the cursor and prepares the next page, or ends the sweep. */
    public void advance(Exchange exchange) {
        String poller = required(exchange, POLLER_ID);
        String pageCursor = exchange.getProperty(PAGE_CURSOR, String.class);
        String next = exchange.getProperty(NEXT, String.class);
        if (pageCursor != null) {
            store(poller, pageCursor);
        } else if (next == null && property(exchange, CURSOR_PATH).isEmpty()) {
            store(poller, exchange.getProperty(SWEEP_START, Instant.class).toString());
        }
        backoffs.remove(poller);
        exchange.setProperty(MORE, next != null);
        if (next != null) {
            request(exchange);
        }
    }

    /** Ends a sweep whose request failed: the cursor stays, and the next sweep waits twice as long as the last. */
    public void failed(Exchange exchange) {
        String poller = required(exchange, POLLER_ID);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Duration interval = Duration.ofMillis(Long.parseLong(required(exchange, INTERVAL)));
        Backoff backoff = backoffs.compute(poller, (k, old) -> {
            Duration wait = old == null ? interval.multipliedBy(2) : old.delay().multipliedBy(2);
            wait = wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
            return new Backoff(wait, clock.instant().plus(wait));
        });
        // the status and the exception type only: an API's error body may quote the records it was reading
        String what = cause instanceof HttpOperationFailedException http ? "HTTP " + http.getStatusCode()
                : cause == null ? "unknown failure" : cause.getClass().getSimpleName();
        log.warn("Poller {} failed ({}); cursor kept, next try in {}", poller, what, backoff.delay());
        exchange.setProperty(MORE, false);
    }

    /** The stored cursor of a poller. */
    Optional<String> cursor(String poller) {
        return jdbc.queryForList("select cursor from poller_cursors where poller_id = ?", String.class, poller)
                .stream().findFirst();
    }

    private void store(String poller, String cursor) {
        jdbc.update("insert into poller_cursors (poller_id, cursor, updated_at) values (?, ?, now()) "
                + "on conflict (poller_id) do update set cursor = excluded.cursor, updated_at = now()", poller, cursor);
    }

    /** Sets the camel-http headers of a GET of the next URL (its query separately, already encoded). */
    private static void request(Exchange exchange) {
        URI uri = URI.create(exchange.getProperty(NEXT, String.class));
        var message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_URI, new StringBuilder().append(uri.getScheme()).append("://")
                .append(uri.getRawAuthority()).append(uri.getRawPath() == null ? "" : uri.getRawPath()).toString());
        message.setHeader(Exchange.HTTP_QUERY, uri.getRawQuery());
        message.setBody(null);
    }

    /**
     * The URL with its query values encoded (admins write them plain, e.g. an organization URI) and the cursor added.
     */
    static String withQuery(String url, String param, String value) {
        int q = url.indexOf('?');
        StringJoiner query = new StringJoiner("&");
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (name.equals(param)) {
                    continue;
                }
                query.add(eq < 0 ? encode(name) : encode(name) + "=" + encode(pair.substring(eq + 1)));
            }
        }
        if (param != null) {
            query.add(encode(param) + "=" + encode(value));
        }
        String base = q < 0 ? url : url.substring(0, q);
        return query.length() == 0 ? base : base + "?" + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(URLDecoder.decode(s, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private Object read(Object document, String path) {
        return document == null ? null : JsonPath.using(jsonPath).parse(document).read(path);
    }

    private static String property(Exchange exchange, String name) {
        String v = exchange.getProperty(name, String.class);
        return v == null ? "" : v.strip();
    }

    private static String required(Exchange exchange, String name) {
        String v = property(exchange, name);
        if (v.isEmpty()) {
            throw new IllegalStateException("route " + exchange.getFromRouteId() + " did not set " + name
                    + " (a parameter of the http-poller template)");
        }
        return v;
    }

    private record Backoff(Duration delay, Instant until) {}
}
