package org.touchpointhub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stateful Salesforce on loopback that speaks the wire camel-salesforce speaks: OAuth token and revoke, sObject
 * Collections and single upsert by external id, a tiny SOQL query, limits, per-record errors, expired sessions,
 * outages and the daily allocation. Thread-safe: all state changes under one lock.
 *
 * <p>It lives in the main code (not only under {@code src/test}) because the benchmark harness runs it as a separate
 * process from the packaged jar: {@code java -jar touchpoint-hub.jar salesforce-double [--port=0]
 * [--client-secret=…] [--password=…]}. Tests start it in-process with {@link #start()}. Records are indexed by their
 * external-id fields, so a long benchmark does not turn every upsert into a scan of the whole store.
 */
public final class SalesforceDouble implements AutoCloseable {

    /** The connected app's client id the double accepts. */
    public static final String CLIENT_ID = "hub-client-id";
    /** The client secret {@link #start()} accepts. */
    public static final String CLIENT_SECRET = "hub-client-secret";
    /** The user name the double accepts. */
    public static final String USER_NAME = "hub@touchpointhub.example";
    /** The password {@link #start()} accepts. */
    public static final String PASSWORD = "right-password";

    private static final String ORG_ID = "00D5g00000ABCDE";
    private static final String USER_ID = "0055g00000FGHIJ";
    private static final Pattern DATA_PATH = Pattern.compile("^/services/data/v(\\d+\\.\\d+)/(.*)$");
    private static final Pattern SOQL = Pattern.compile(
            "(?i)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(\\w+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)')?\\s*$");
    private static final Map<String, String> KEY_PREFIXES = Map.of(
            "Account", "001", "Contact", "003", "Lead", "00Q", "Task", "00T");
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "Account", List.of("Name"), "Contact", List.of("LastName"), "Lead", List.of("LastName", "Company"));

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final String clientSecret;
    private final String password;

    // all guarded by lock
    private final Set<String> sessions = new HashSet<>();
    private final Map<String, Map<String, Map<String, Object>>> store = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Rule> lockOnce = new ArrayList<>();
    private long idCounter;
    private int logins;
    private int apiCalls;
    private long used;
    private long allocation = 15_000;
    private int failStatus;
    private Instant failUntil;
    private boolean limitExceeded;
    private long collectionCalls;
    private long compositeCalls;
    private long writeCalls;
    private boolean compositeSupported = true;
    private final List<Rule> failSubrequestOnce = new ArrayList<>();
    private long recordsReceived;
    // object + '|' + field + '|' + lower-case value -> record, for external-id and Id fields
    private final Map<String, Map<String, Object>> index = new java.util.HashMap<>();
    private final Map<String, Map<String, Integer>> upserts = new LinkedHashMap<>();
    private final Map<String, Integer> callsBySession = new LinkedHashMap<>();
    private int collectionRecords;
    private volatile java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String holdPath;

    private SalesforceDouble(int port, String clientSecret, String password) throws IOException {
        // without it every answer waits ~40 ms for the client's delayed ACK (Nagle on the JDK server's two writes)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.clientSecret = clientSecret;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        // daemon threads: a test's static double that is never closed must not keep the test JVM alive
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "salesforce-double");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.createContext("/__double/stats", this::stats);
        server.start();
    }

    /** Starts a double on 127.0.0.1 and a free port. */
    public static SalesforceDouble start() {
        return start(0, CLIENT_SECRET, PASSWORD);
    }

    /** Starts a double on 127.0.0.1 and this port (0: a free one) that accepts this client secret and password. */
    public static SalesforceDouble start(int port, String clientSecret, String password) {
        try {
            return new SalesforceDouble(port, clientSecret, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the double as its own process until it is killed or its standard input closes; prints
     * {@code salesforce-double listening on <url>} once it serves. Options: {@code --port=0 --client-secret=…
     * --password=…}.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        SalesforceDouble sf = start(Integer.parseInt(o.getOrDefault("port", "0")),
                o.getOrDefault("client-secret", CLIENT_SECRET), o.getOrDefault("password", PASSWORD));
        System.out.println("salesforce-double listening on " + sf.url());
        System.out.flush();
        // the parent holds our stdin open; when it goes away (even killed), so do we
        while (System.in.read() >= 0) {
            // discard
        }
        sf.close();
    }

    /** {@code GET /__double/stats}: API calls, logins, collection calls, records received and stored per object. */
    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            ObjectNode body = json.createObjectNode();
            synchronized (lock) {
                body.put("apiCalls", apiCalls);
                body.put("logins", logins);
                body.put("collectionCalls", collectionCalls);
                body.put("compositeCalls", compositeCalls);
                body.put("writeCalls", writeCalls);
                body.put("recordsReceived", recordsReceived);
                ObjectNode objects = body.putObject("records");
                store.forEach((object, records) -> objects.put(object, records.size()));
            }
            send(exchange, new Answer(200, body.toString()));
        }
    }

    /** The base URL, usable as login URL and returned as instance URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- switches a test can turn

    /** Fails every record of {@code object} whose {@code field} equals {@code value} with a per-record error. */
    public void rejectWhere(String object, String field, String value, String code, String message) {
        synchronized (lock) {
            rules.add(new Rule(object, field, value, code, message));
        }
    }

    /** The next record of {@code object} whose {@code field} equals {@code value} fails once with UNABLE_TO_LOCK_ROW. */
    public void lockRowOnce(String object, String field, String value) {
        synchronized (lock) {
            lockOnce.add(new Rule(object, field, value, "UNABLE_TO_LOCK_ROW",
                    "unable to obtain exclusive access to this record or 1 records: " + value));
        }
    }

    /**
     * The next composite subrequest that upserts {@code object} fails as a whole: its subresponse is {@code status}
     * with an error array instead of per-record results (nothing of it is written), as a limit hit inside the call
     * would answer. A plain collections call is not affected.
     */
    public void failSubrequestOnce(String object, int status) {
        synchronized (lock) {
            failSubrequestOnce.add(new Rule(object, null, null, status == 500 ? "UNKNOWN_EXCEPTION" : "LIMIT_EXCEEDED",
                    "HTTP " + status));
        }
    }

    /**
     * Whether {@code POST composite} is served (default true); false answers it 404 NOT_FOUND, as a CRM or an older
     * double without the resource would.
     */
    public void supportComposite(boolean supported) {
        synchronized (lock) {
            compositeSupported = supported;
        }
    }

    /** Invalidates every access token: the next data call answers 401 INVALID_SESSION_ID. */
    public void expireSessions() {
        synchronized (lock) {
            sessions.clear();
        }
    }

    /** Answers every data call with this HTTP status until {@link #recover()}. */
    public void failWith(int status) {
        failWith(status, null);
    }

    /** Answers every data call with this HTTP status for a period (null: until {@link #recover()}). */
    public void failWith(int status, Duration period) {
        synchronized (lock) {
            failStatus = status;
            failUntil = period == null ? null : Instant.now().plus(period);
        }
    }

    /** Answers every data call 403 REQUEST_LIMIT_EXCEEDED until {@link #recover()}. */
    public void limitExceeded() {
        synchronized (lock) {
            limitExceeded = true;
        }
    }

    /** Clears outages, the limit switch, record and subrequest rules, and serves Composite again. */
    public void recover() {
        synchronized (lock) {
            failStatus = 0;
            failUntil = null;
            limitExceeded = false;
            rules.clear();
            lockOnce.clear();
            failSubrequestOnce.clear();
            compositeSupported = true;
        }
    }

    /** Sets the daily allocation and the calls used so far. */
    public void allocation(long allocation, long used) {
        synchronized (lock) {
            this.allocation = allocation;
            this.used = used;
        }
    }

    /**
     * Applies every data call but holds its answer (at most 60 s) until {@link #releaseResponses()}: the CRM wrote
     * the records, the caller has not heard so yet, which is the moment a fault drill kills the hub.
     */
    public void holdResponses() {
        holdResponses(null);
    }

    /** Like {@link #holdResponses()}, for calls on one object only (e.g. {@code Task}); null holds every data call. */
    public void holdResponses(String object) {
        held.set(0);
        holdPath = object == null ? null : "/" + object + "/";
        hold = new java.util.concurrent.CountDownLatch(1);
    }

    /** Lets held answers go and answers at once again. */
    public void releaseResponses() {
        hold.countDown();
    }

    /** Data calls applied and held since the last {@link #holdResponses()}. */
    public int heldCalls() {
        return held.get();
    }

    // ---- accounting

    /** Successful upserts of {@code object} per external id (lower case): a count above 1 is a re-send. */
    public Map<String, Integer> upserts(String object) {
        synchronized (lock) {
            return new LinkedHashMap<>(upserts.getOrDefault(object, Map.of()));
        }
    }

    /** Data calls served per access token, so a test sees which hub instance (login) did the work. */
    public Map<String, Integer> callsBySession() {
        synchronized (lock) {
            return new LinkedHashMap<>(callsBySession);
        }
    }

    /** Composite calls served (each one API call, whatever its subrequests). */
    public int compositeCalls() {
        synchronized (lock) {
            return (int) compositeCalls;
        }
    }

    /**
     * API calls that carried records: plain sObject Collections upserts and Composite calls (divide
     * {@link #collectionRecords()} by it for records per API call).
     */
    public int writeCalls() {
        synchronized (lock) {
            return (int) writeCalls;
        }
    }

    /** sObject Collections upserts served, alone or as subrequests of a Composite call. */
    public int collectionCalls() {
        synchronized (lock) {
            return (int) collectionCalls;
        }
    }

    /** Records sent in sObject Collections upserts, alone or inside Composite calls. */
    public int collectionRecords() {
        synchronized (lock) {
            return collectionRecords;
        }
    }

    /** Data calls served (authenticated and not refused by an outage or limit); logins are not counted. */
    public int apiCalls() {
        synchronized (lock) {
            return apiCalls;
        }
    }

    /** Successful logins. */
    public int logins() {
        synchronized (lock) {
            return logins;
        }
    }

    /** Copies of all records of one object. */
    public List<Map<String, Object>> records(String object) {
        synchronized (lock) {
            List<Map<String, Object>> copies = new ArrayList<>();
            for (Map<String, Object> record : store.getOrDefault(object, Map.of()).values()) {
                copies.add(new LinkedHashMap<>(record));
            }
            return copies;
        }
    }

    /** A copy of the record of {@code object} whose {@code field} equals {@code value}, or null. */
    public Map<String, Object> find(String object, String field, String value) {
        synchronized (lock) {
            Map<String, Object> record = findLocked(object, field, value);
            return record == null ? null : new LinkedHashMap<>(record);
        }
    }

    // ---- wire

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = "";
            Answer answer;
            try {
                if (path.equals("/services/oauth2/token") && "POST".equals(exchange.getRequestMethod())) {
                    answer = token(form(read(exchange)));
                } else if (path.equals("/services/oauth2/revoke")) {
                    answer = revoke(exchange.getRequestURI().getRawQuery());
                } else {
                    Matcher data = DATA_PATH.matcher(path);
                    body = read(exchange);
                    answer = data.matches() ? data(exchange, data.group(1), data.group(2), body) : notFound();
                }
            } catch (RuntimeException e) {
                answer = new Answer(400, errors("JSON_PARSER_ERROR", String.valueOf(e.getMessage())));
            }
            java.util.concurrent.CountDownLatch latch = hold;
            String only = holdPath;
            // a composite call is held when one of its subrequests' URLs names the object
            if (latch.getCount() > 0 && !path.startsWith("/services/oauth2/")
                    && (only == null || path.contains(only) || path.endsWith("/composite") && body.contains(only))) {
                held.incrementAndGet();
                try {
                    latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            send(exchange, answer);
        }
    }

    private Answer token(Map<String, String> form) {
        boolean ok;
        String grant = form.getOrDefault("grant_type", "");
        if ("password".equals(grant)) {
            ok = CLIENT_ID.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"))
                    && USER_NAME.equals(form.get("username")) && password.equals(form.get("password"));
        } else if ("urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant)) {
            ok = CLIENT_ID.equals(form.get("client_id")) && jwtClaims(form.get("assertion"));
        } else {
            return new Answer(400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"grant type not supported\"}");
        }
        if (!ok) {
            return new Answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}");
        }
        String token = ORG_ID + "!" + UUID.randomUUID().toString().replace("-", "");
        synchronized (lock) {
            sessions.add(token);
            logins++;
        }
        ObjectNode body = json.createObjectNode();
        body.put("access_token", token);
        body.put("instance_url", url());
        body.put("id", url() + "/id/" + ORG_ID + "/" + USER_ID);
        body.put("token_type", "Bearer");
        body.put("issued_at", String.valueOf(System.currentTimeMillis()));
        body.put("signature", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        return new Answer(200, body.toString());
    }

    /** Checks the JWT bearer claims (iss, sub); the signature is not verified by this double. */
    private boolean jwtClaims(String assertion) {
        if (assertion == null || assertion.split("\\.").length != 3) {
            return false;
        }
        try {
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]));
            return CLIENT_ID.equals(claims.path("iss").asText()) && USER_NAME.equals(claims.path("sub").asText());
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private Answer revoke(String query) {
        Map<String, String> params = form(query == null ? "" : query);
        synchronized (lock) {
            sessions.remove(params.get("token"));
        }
        return new Answer(200, "");
    }

    private Answer data(HttpExchange exchange, String version, String resource, String body) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization == null ? "" : authorization.replaceFirst("^(Bearer|OAuth)\\s+", "");
        String method = exchange.getRequestMethod();
        synchronized (lock) {
            if (!sessions.contains(token)) {
                return new Answer(401, fixture("error.INVALID_SESSION_ID.json"));
            }
            if (failStatus != 0 && (failUntil == null || Instant.now().isBefore(failUntil))) {
                return new Answer(failStatus, errors(failStatus == 503 ? "SERVER_UNAVAILABLE" : "UNKNOWN_EXCEPTION",
                        "Service temporarily unavailable (HTTP " + failStatus + ")"));
            }
            if (limitExceeded || used >= allocation) {
                return new Answer(403, fixture("error.REQUEST_LIMIT_EXCEEDED.http403.json"));
            }
            used++;
            apiCalls++;
            callsBySession.merge(token, 1, Integer::sum);
            String[] parts = resource.replaceAll("/$", "").split("/");
            if ("PATCH".equals(method) && parts.length == 4 && parts[0].equals("composite") && parts[1].equals("sobjects")) {
                writeCalls++;
                return collectionsUpsert(version, parts[2], parts[3], json.readTree(body));
            }
            if ("POST".equals(method) && parts.length == 1 && parts[0].equals("composite") && compositeSupported) {
                return composite(version, json.readTree(body));
            }
            if ("PATCH".equals(method) && parts.length == 4 && parts[0].equals("sobjects")) {
                return singleUpsert(version, parts[1], parts[2], URLDecoder.decode(parts[3], StandardCharsets.UTF_8),
                        json.readTree(body));
            }
            if ("GET".equals(method) && parts.length == 1 && parts[0].equals("query")) {
                return query(version, form(exchange.getRequestURI().getRawQuery()).get("q"));
            }
            if ("GET".equals(method) && parts.length == 1 && parts[0].equals("limits")) {
                return new Answer(200, "{\"DailyApiRequests\":{\"Max\":" + allocation + ",\"Remaining\":"
                        + (allocation - used) + "}}");
            }
            return notFound();
        }
    }

    private Answer collectionsUpsert(String version, String object, String externalIdField, JsonNode request) {
        JsonNode records = request.path("records");
        if (!records.isArray() || records.isEmpty()) {
            return new Answer(400, errors("REQUIRED_FIELD_MISSING", "At least 1 record is required."));
        }
        if (records.size() > 200) {
            return new Answer(400, errors("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call"));
        }
        collectionCalls++;
        collectionRecords += records.size();
        boolean allOrNone = request.path("allOrNone").asBoolean(false);
        recordsReceived += records.size();
        // copying the whole store is only needed to roll back an all-or-none call
        Map<String, Map<String, Map<String, Object>>> before = allOrNone ? deepCopy() : null;
        List<ObjectNode> results = new ArrayList<>();
        boolean failed = false;
        for (JsonNode record : records) {
            ObjectNode result = upsertOne(object, externalIdField, record, null);
            failed |= !result.path("success").asBoolean();
            results.add(result);
        }
        if (allOrNone && failed) {
            store.clear();
            store.putAll(before);
            reindex();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).path("success").asBoolean()) {
                    results.set(i, failure("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using AllOrNone header", List.of()));
                }
            }
        }
        return new Answer(200, json.valueToTree(results).toString());
    }

    /**
     * {@code POST composite} with sObject Collections upsert subrequests, run in the order given (as with
     * {@code collateSubrequests=false}), each answered as its own call would be; the whole counts as one API call.
     * Salesforce takes at most 25 subrequests, of which at most 5 sObject Collections or queries; more is a 400 for the
     * whole request. Top-level {@code allOrNone=true} (rollback of every subrequest) is not modelled: the hub never
     * sends it, and the double refuses it rather than pretend.
     */
    private Answer composite(String version, JsonNode request) throws IOException {
        JsonNode subrequests = request.path("compositeRequest");
        if (!subrequests.isArray() || subrequests.isEmpty()) {
            return new Answer(400, errors("JSON_PARSER_ERROR", "compositeRequest must hold at least one subrequest"));
        }
        if (subrequests.size() > 25) {
            return new Answer(400, errors("LIMIT_EXCEEDED", "The composite request has " + subrequests.size()
                    + " subrequests; the limit is 25"));
        }
        int collections = 0;
        for (JsonNode subrequest : subrequests) {
            collections += subrequest.path("url").asText().contains("/composite/sobjects") ? 1 : 0;
        }
        if (collections > 5) {
            return new Answer(400, errors("LIMIT_EXCEEDED", "The composite request has " + collections
                    + " sObject Collections subrequests; the limit is 5"));
        }
        if (request.path("allOrNone").asBoolean(false)) {
            return new Answer(400, errors("INVALID_FIELD", "this double does not model allOrNone=true on composite"));
        }
        compositeCalls++;
        writeCalls++;
        Pattern collectionsUrl = Pattern.compile("^/services/data/v(\\d+\\.\\d+)/composite/sobjects/(\\w+)/(\\w+)$");
        com.fasterxml.jackson.databind.node.ArrayNode responses = json.createArrayNode();
        for (JsonNode subrequest : subrequests) {
            String referenceId = subrequest.path("referenceId").asText();
            Matcher url = collectionsUrl.matcher(subrequest.path("url").asText());
            Answer answer;
            if (!"PATCH".equals(subrequest.path("method").asText()) || !url.matches()) {
                answer = notFound();
            } else {
                answer = failedSubrequest(url.group(2));
                if (answer == null) {
                    answer = collectionsUpsert(url.group(1), url.group(2), url.group(3), subrequest.path("body"));
                }
            }
            ObjectNode response = responses.addObject();
            response.set("body", json.readTree(answer.body));
            response.putObject("httpHeaders");
            response.put("httpStatusCode", answer.status);
            response.put("referenceId", referenceId);
        }
        ObjectNode body = json.createObjectNode();
        body.set("compositeResponse", responses);
        return new Answer(200, body.toString());
    }

    private Answer failedSubrequest(String object) {
        for (Iterator<Rule> it = failSubrequestOnce.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (rule.object.equals(object)) {
                it.remove();
                int status = Integer.parseInt(rule.message.substring("HTTP ".length()));
                return new Answer(status, errors(rule.code, "The subrequest could not be processed (HTTP " + status + ")"));
            }
        }
        return null;
    }

    private Answer singleUpsert(String version, String object, String externalIdField, String value, JsonNode record) {
        ObjectNode result = upsertOne(object, externalIdField, record, value);
        if (!result.path("success").asBoolean()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (JsonNode error : result.path("errors")) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("message", error.path("message").asText());
                e.put("errorCode", error.path("statusCode").asText());
                e.put("fields", json.convertValue(error.path("fields"), List.class));
                errors.add(e);
            }
            return new Answer(400, json.valueToTree(errors).toString());
        }
        if (result.path("created").asBoolean()) {
            result.remove("created");
            return new Answer(201, result.toString());
        }
        return new Answer(204, "");
    }

    /** Upserts one record; {@code urlValue} is the external id from the URL of a single upsert, else null. */
    private ObjectNode upsertOne(String object, String externalIdField, JsonNode record, String urlValue) {
        String type = record.path("attributes").path("type").asText(object);
        if (urlValue == null && !object.equals(type)) {
            return failure("INVALID_FIELD", "Object type " + type + " does not match " + object, List.of());
        }
        if (record.has("Id")) {
            return failure("INVALID_FIELD", "Id is not allowed when upserting by external id", List.of("Id"));
        }
        String value = urlValue != null ? urlValue : record.path(externalIdField).asText(null);
        if (value == null || value.isBlank()) {
            return failure("MISSING_ARGUMENT", externalIdField + " not specified", List.of(externalIdField));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = record.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("attributes")) {
                continue;
            }
            if (node.isObject()) {
                // a parent or polymorphic reference by external id
                String refType = node.path("attributes").path("type").asText(null);
                Map.Entry<String, JsonNode> key = null;
                for (Iterator<Map.Entry<String, JsonNode>> r = node.fields(); r.hasNext(); ) {
                    Map.Entry<String, JsonNode> candidate = r.next();
                    if (!candidate.getKey().equals("attributes")) {
                        key = candidate;
                    }
                }
                if (refType == null || key == null) {
                    return failure("INVALID_FIELD", "Reference " + name + " needs attributes.type and one external id", List.of(name));
                }
                Map<String, Object> parent = findLocked(refType, key.getKey(), key.getValue().asText());
                if (parent == null) {
                    return failure("INVALID_FIELD", "Foreign key external ID: " + key.getValue().asText()
                            + " not found for field " + key.getKey() + " in entity " + refType, List.of());
                }
                fields.put(idFieldOf(name), parent.get("Id"));
                continue;
            }
            fields.put(name, node.isNull() ? null : json.convertValue(node, Object.class));
        }
        fields.put(externalIdField, value);

        for (Rule rule : rules) {
            if (rule.matches(object, fields)) {
                return failure(rule.code, rule.message, List.of());
            }
        }
        for (Iterator<Rule> locks = lockOnce.iterator(); locks.hasNext(); ) {
            Rule rule = locks.next();
            if (rule.matches(object, fields)) {
                locks.remove();
                return failure(rule.code, rule.message, List.of());
            }
        }

        Map<String, Object> existing = findLocked(object, externalIdField, value);
        Map<String, Object> merged = existing == null ? new LinkedHashMap<>() : new LinkedHashMap<>(existing);
        merged.putAll(fields);
        List<String> missing = new ArrayList<>();
        for (String required : REQUIRED.getOrDefault(object, List.of())) {
            Object v = merged.get(required);
            if (v == null || v.toString().isBlank()) {
                missing.add(required);
            }
        }
        if (object.equals("Task") && merged.get("WhoId") == null) {
            missing.add("WhoId");
        }
        if (!missing.isEmpty()) {
            return failure("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
        }
        boolean created = existing == null;
        if (created) {
            merged.put("Id", newId(object));
        }
        store.computeIfAbsent(object, o -> new LinkedHashMap<>()).put((String) merged.get("Id"), merged);
        indexRecord(object, merged);
        upserts.computeIfAbsent(object, o -> new LinkedHashMap<>()).merge(value.toLowerCase(Locale.ROOT), 1, Integer::sum);
        ObjectNode result = json.createObjectNode();
        result.put("id", (String) merged.get("Id"));
        result.put("success", true);
        result.putArray("errors");
        result.put("created", created);
        return result;
    }

    private Answer query(String version, String soql) {
        Matcher m = soql == null ? null : SOQL.matcher(soql);
        if (m == null || !m.matches()) {
            return new Answer(400, errors("MALFORMED_QUERY", "unexpected token: " + soql));
        }
        String object = m.group(2);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> record : store.getOrDefault(object, Map.of()).values()) {
            if (m.group(3) != null && !String.valueOf(record.get(m.group(3))).equals(m.group(4).replace("\\'", "'"))) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("attributes", Map.of("type", object,
                    "url", "/services/data/v" + version + "/sobjects/" + object + "/" + record.get("Id")));
            for (String field : m.group(1).split(",")) {
                row.put(field.trim(), record.get(field.trim()));
            }
            out.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", out.size());
        body.put("done", true);
        body.put("records", out);
        return new Answer(200, json.valueToTree(body).toString());
    }

    // ---- helpers (callers hold the lock where state is touched)

    private Map<String, Object> findLocked(String object, String field, String value) {
        if (indexed(field)) {
            Map<String, Object> hit = index.get(indexKey(object, field, value));
            // a hit is checked, a miss is final: every stored record's indexed fields are in the index
            if (hit != null && hit.get(field) != null && hit.get(field).toString().equalsIgnoreCase(value)
                    && store.getOrDefault(object, Map.of()).get(hit.get("Id")) == hit) {
                return hit;
            }
            if (hit == null) {
                return null;
            }
        }
        for (Map<String, Object> record : store.getOrDefault(object, Map.of()).values()) {
            Object v = record.get(field);
            // external ids match case-insensitively, as Salesforce does for text external ids
            if (v != null && v.toString().equalsIgnoreCase(value)) {
                return record;
            }
        }
        return null;
    }

    private static boolean indexed(String field) {
        return field.equals("Id") || field.endsWith("__c");
    }

    private static String indexKey(String object, String field, String value) {
        return object + '|' + field + '|' + value.toLowerCase(Locale.ROOT);
    }

    private void indexRecord(String object, Map<String, Object> record) {
        record.forEach((field, v) -> {
            if (v != null && indexed(field)) {
                index.put(indexKey(object, field, v.toString()), record);
            }
        });
    }

    private void reindex() {
        index.clear();
        store.forEach((object, records) -> records.values().forEach(r -> indexRecord(object, r)));
    }

    private Map<String, Map<String, Map<String, Object>>> deepCopy() {
        Map<String, Map<String, Map<String, Object>>> copy = new LinkedHashMap<>();
        store.forEach((object, records) -> {
            Map<String, Map<String, Object>> recordsCopy = new LinkedHashMap<>();
            records.forEach((id, record) -> recordsCopy.put(id, new LinkedHashMap<>(record)));
            copy.put(object, recordsCopy);
        });
        return copy;
    }

    private static String idFieldOf(String relationship) {
        return relationship.endsWith("__r") ? relationship.substring(0, relationship.length() - 3) + "__c"
                : relationship + "Id";
    }

    private String newId(String object) {
        idCounter++;
        return KEY_PREFIXES.getOrDefault(object, "a00") + String.format(Locale.ROOT, "5g%010d", idCounter) + "AAA";
    }

    private ObjectNode failure(String code, String message, List<String> fields) {
        ObjectNode result = json.createObjectNode();
        result.put("success", false);
        ObjectNode error = result.putArray("errors").addObject();
        error.put("statusCode", code);
        error.put("message", message);
        error.set("fields", json.valueToTree(fields));
        return result;
    }

    private String errors(String code, String message) {
        return json.createArrayNode().add(json.createObjectNode().put("message", message).put("errorCode", code)).toString();
    }

    private Answer notFound() {
        return new Answer(404, errors("NOT_FOUND", "The requested resource does not exist"));
    }

    private static String fixture(String name) {
        try (InputStream in = SalesforceDouble.class.getResourceAsStream("/fixtures/salesforce/" + name)) {
            if (in == null) {
                // the packaged jar has no test fixtures: answer the same error code in Salesforce's shape
                String code = name.replaceFirst("^error\\.", "").replaceFirst("(\\.http\\d+)?\\.json$", "");
                return "[{\"message\":\"" + code + "\",\"errorCode\":\"" + code + "\"}]";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(key, value);
        }
        return fields;
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
        String usage;
        synchronized (lock) {
            usage = "api-usage=" + used + "/" + allocation;
        }
        exchange.getResponseHeaders().set("Sforce-Limit-Info", usage);
        byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        }
        boolean noBody = bytes.length == 0;
        exchange.sendResponseHeaders(answer.status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Answer(int status, String body) {}

    private record Rule(String object, String field, String value, String code, String message) {
        boolean matches(String recordObject, Map<String, Object> fields) {
            Object v = fields.get(field);
            return object.equals(recordObject) && v != null && v.toString().equalsIgnoreCase(value);
        }
    }
}
