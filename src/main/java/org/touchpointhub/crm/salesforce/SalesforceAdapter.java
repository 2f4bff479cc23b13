package org.touchpointhub.crm.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.touchpointhub.crm.CrmAdapter;
import org.touchpointhub.crm.CrmRecord;
import org.touchpointhub.crm.CrmResult;
import org.touchpointhub.crm.CrmUnavailable;

/**
 * Writes records to Salesforce with sObject Collections upsert by external id
 * ({@code PATCH /services/data/v{ver}/composite/sobjects/{Object}/{ExtIdField}}, up to 200 records of one object),
 * several of them (in order) in one Composite call ({@code POST /services/data/v{ver}/composite}, one API call for up
 * to five collections subrequests), through camel-salesforce's {@code raw} operation, and reads every per-record result.
 *
 * <p>The {@code raw} operation is used rather than {@code compositeUpsertSObjectCollections} because the latter only
 * takes generated {@code AbstractSObjectBase} DTOs; {@code raw} sends the hub's plain maps (including nested
 * external-id references) as they are and hands back the body, the HTTP status and the {@code Sforce-*} headers.
 * The component is configured only through {@code camel.component.salesforce.*}; it should run with
 * {@code lazy-login=true} so the hub starts while Salesforce is unreachable or the credentials are wrong: this adapter
 * then logs in on first use and reports a failed login as one log line and a {@link CrmUnavailable}.
 */
public class SalesforceAdapter implements CrmAdapter {

    /** Records per sObject Collections call, as Salesforce allows. */
    public static final int MAX_BATCH_SIZE = 200;
    /**
     * sObject Collections subrequests per Composite call: Salesforce takes up to 25 subrequests, of which at most 5
     * may be sObject Collections or query operations.
     */
    public static final int MAX_COLLECTIONS_PER_COMPOSITE = 5;

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceAdapter.class);
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");
    private static final Pattern LOGIN_DESCRIPTION = Pattern.compile("description:\\[(.*)]");
    private static final String LOCK_ROW = "UNABLE_TO_LOCK_ROW";
    private static final String LOGIN_FAILED = "Salesforce login failed";

    private final CamelContext camelContext;
    private final ProducerTemplate template;
    private final String componentName;
    private final ObjectMapper json = new ObjectMapper();
    private final boolean composite;

    private volatile double apiUsage = -1;
    /** Why this process stopped using Composite calls (the CRM refused the resource), or null. */
    private volatile String compositeRefused;
    private volatile String lastError;

    /** Creates an adapter over the {@code salesforce} component of the given context. */
    public SalesforceAdapter(CamelContext camelContext, ProducerTemplate template) {
        this(camelContext, template, "salesforce");
    }

    /** Creates an adapter over the named camel-salesforce component of the given context, sending Composite calls. */
    public SalesforceAdapter(CamelContext camelContext, ProducerTemplate template, String componentName) {
        this(camelContext, template, componentName, true);
    }

    /**
     * Creates an adapter over the named camel-salesforce component of the given context.
     *
     * @param composite whether several batches go out in one Composite call ({@code hub.crm.salesforce.composite})
     */
    public SalesforceAdapter(CamelContext camelContext, ProducerTemplate template, String componentName, boolean composite) {
        this.camelContext = Objects.requireNonNull(camelContext, "camelContext");
        this.template = Objects.requireNonNull(template, "template");
        this.componentName = Objects.requireNonNull(componentName, "componentName");
        this.composite = composite;
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_SIZE;
    }

    @Override
    public int maxBatchesPerCall() {
        return composite && compositeRefused == null ? MAX_COLLECTIONS_PER_COMPOSITE : 1;
    }

    /** Why Composite calls are no longer used by this process (the CRM refused the resource), or null. */
    public String compositeRefused() {
        return compositeRefused;
    }

    @Override
    public double apiUsage() {
        return apiUsage;
    }

    /** Whether the component holds a Salesforce session (false before the first call and after a failed login). */
    public boolean loggedIn() {
        SalesforceSession session = component().getSession();
        String error = lastError;
        return session != null && session.getAccessToken() != null
                && (error == null || !error.startsWith(LOGIN_FAILED));
    }

    /** The last whole-call failure (login, limits, outage) as one line, or null when the last call went through. */
    public String lastError() {
        return lastError;
    }

    @Override
    public List<CrmResult> upsert(List<CrmRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        checkBatch(records);
        ensureLoggedIn();

        String body = json(collectionsBody(records));
        String path = collectionsPath(records);
        Exchange exchange = template.send("salesforce:raw?format=JSON", ex -> {
            ex.getIn().setHeader(SalesforceEndpointConfig.RAW_METHOD, "PATCH");
            ex.getIn().setHeader(SalesforceEndpointConfig.RAW_PATH, path);
            ex.getIn().setBody(body);
        });
        readApiUsage(exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            return wholeCallFailed(failure, records.size());
        }
        List<CrmResult> results = readResults(exchange.getMessage().getBody(String.class), records.size());
        lastError = null;
        return results;
    }

    /**
     * Sends the batches in Composite calls of up to {@value #MAX_COLLECTIONS_PER_COMPOSITE} sObject Collections
     * upserts each ({@code POST composite}, one API call; {@code collateSubrequests=false} so Salesforce runs them in
     * the order given and Accounts exist before the Contacts that refer to them). With Composite switched off or
     * refused, or for a single batch, each batch is a plain collections call.
     */
    @Override
    public List<List<CrmResult>> upsertAll(List<List<CrmRecord>> batches) {
        for (List<CrmRecord> batch : batches) {
            if (batch.isEmpty()) {
                throw new IllegalArgumentException("a batch must hold at least one record");
            }
            checkBatch(batch);
        }
        List<List<CrmResult>> results = new ArrayList<>(batches.size());
        int from = 0;
        while (from < batches.size()) {
            if (maxBatchesPerCall() == 1 || batches.size() - from == 1) {
                results.add(upsert(batches.get(from++)));
                continue;
            }
            List<List<CrmRecord>> call = batches.subList(from, Math.min(batches.size(), from + MAX_COLLECTIONS_PER_COMPOSITE));
            List<List<CrmResult>> answered = compositeCall(call);
            if (answered == null) {
                // the CRM does not take Composite calls: this and every later call go out one batch at a time
                continue;
            }
            results.addAll(answered);
            from += call.size();
        }
        return results;
    }

    /**
     * One Composite call; null when the CRM refused the Composite resource itself, which this process then stops
     * using (one WARN line).
     */
    private List<List<CrmResult>> compositeCall(List<List<CrmRecord>> batches) {
        ensureLoggedIn();
        String version = apiVersion();
        List<Map<String, Object>> subrequests = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            Map<String, Object> subrequest = new LinkedHashMap<>();
            subrequest.put("method", "PATCH");
            subrequest.put("url", collectionsPath(batches.get(i)));
            subrequest.put("referenceId", "batch" + i);
            subrequest.put("body", collectionsBody(batches.get(i)));
            subrequests.add(subrequest);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("allOrNone", false);
        // true by default since API 49.0, and then the order is not guaranteed: Contacts could run before their Account
        request.put("collateSubrequests", false);
        request.put("compositeRequest", subrequests);
        String body = json(request);
        Exchange exchange = template.send("salesforce:raw?format=JSON", ex -> {
            ex.getIn().setHeader(SalesforceEndpointConfig.RAW_METHOD, "POST");
            ex.getIn().setHeader(SalesforceEndpointConfig.RAW_PATH, "/services/data/v" + version + "/composite");
            ex.getIn().setBody(body);
        });
        readApiUsage(exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            SalesforceException salesforce = salesforceException(failure);
            int status = salesforce == null ? 0 : salesforce.getStatusCode();
            if (status == 400 || status == 404 || status == 405 || status == 501) {
                // the Composite request itself was refused (a CRM or double without the resource, or one that does not
                // take collections subrequests): per-record errors come back inside a 200, never as a top-level 4xx
                List<String> codes = codes(salesforce);
                compositeRefused = "HTTP " + status + " " + describe(salesforce, codes);
                LOG.warn("Salesforce refused the Composite call ({}); this process sends one sObject Collections call "
                        + "per object from now on", compositeRefused);
                return null;
            }
            wholeCallFailed(failure, 0);
            throw new IllegalStateException("a whole-call failure other than 400/404 always throws");
        }
        List<List<CrmResult>> results = readCompositeResults(exchange.getMessage().getBody(String.class), batches);
        lastError = null;
        return results;
    }

    private List<List<CrmResult>> readCompositeResults(String body, List<List<CrmRecord>> batches) {
        JsonNode answer;
        try {
            answer = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new CrmUnavailable("Salesforce answered an unreadable composite result: " + oneLine(e), 200, List.of(), e);
        }
        Map<String, JsonNode> byReference = new LinkedHashMap<>();
        if (answer != null) {
            for (JsonNode subresponse : answer.path("compositeResponse")) {
                byReference.put(subresponse.path("referenceId").asText(), subresponse);
            }
        }
        if (byReference.size() != batches.size()) {
            // without one answer per subrequest the hub cannot tell what was written: treat the call as not done
            throw new CrmUnavailable("Salesforce answered " + byReference.size() + " composite subresponses for "
                    + batches.size() + " subrequests", 200, List.of(), null);
        }
        List<List<CrmResult>> results = new ArrayList<>(batches.size());
        boolean earlierFailed = false;
        for (int i = 0; i < batches.size(); i++) {
            List<CrmRecord> batch = batches.get(i);
            JsonNode subresponse = byReference.get("batch" + i);
            JsonNode records = subresponse == null ? null : subresponse.path("body");
            int status = subresponse == null ? 0 : subresponse.path("httpStatusCode").asInt(0);
            if (status / 100 != 2 || records == null || !records.isArray() || records.size() != batch.size()) {
                // The subrequest failed as a whole (e.g. a limit inside the call, or a body the hub cannot read).
                // Sending that batch once more as a plain collections call costs a call only on this rare path and gives
                // it exactly today's semantics: per-record results, 400/404 refused for good, outages back off.
                LOG.warn("Salesforce composite subrequest for {} answered HTTP {} without per-record results; sending that "
                        + "batch again alone", batch.get(0).object(), status);
                results.add(upsert(batch));
                earlierFailed = true;
                continue;
            }
            List<CrmResult> batchResults = readResults(records, batch.size());
            if (earlierFailed) {
                batchResults = afterFailedSubrequest(batchResults);
            }
            results.add(batchResults);
        }
        return results;
    }

    /**
     * Refusals of a subrequest that ran after one that failed as a whole may only be the missing parent (a Contact
     * whose Account was written by the re-send, after it): they are sent again later rather than dead-lettered.
     */
    private static List<CrmResult> afterFailedSubrequest(List<CrmResult> results) {
        List<CrmResult> adjusted = new ArrayList<>(results.size());
        for (CrmResult result : results) {
            if (result instanceof CrmResult.Refused refused && !refused.isTransient()) {
                adjusted.add(new CrmResult.Refused(refused.code(), refused.message()
                        + " (after an earlier subrequest of the same composite call failed; sent again later)", true));
            } else {
                adjusted.add(result);
            }
        }
        return adjusted;
    }

    private static void checkBatch(List<CrmRecord> records) {
        if (records.size() > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("at most " + MAX_BATCH_SIZE + " records per call, got " + records.size());
        }
        String object = records.get(0).object();
        String externalIdField = records.get(0).externalIdField();
        for (CrmRecord record : records) {
            if (!object.equals(record.object()) || !externalIdField.equals(record.externalIdField())) {
                throw new IllegalArgumentException("one call takes one object type and external id field: " + object
                        + "." + externalIdField + " and " + record.object() + "." + record.externalIdField());
            }
        }
    }

    private String collectionsPath(List<CrmRecord> records) {
        return "/services/data/v" + apiVersion() + "/composite/sobjects/" + records.get(0).object() + "/"
                + records.get(0).externalIdField();
    }

    /** Logs in now (when not logged in yet), so a wrong login shows at start-up rather than on the first write. */
    @Override
    public void connect() {
        ensureLoggedIn();
    }

    /** Remembers a whole-call failure and logs it once: a delivery loop retrying an outage must not flood the log. */
    private void report(String message) {
        if (!message.equals(lastError)) {
            LOG.warn(message);
        }
        lastError = message;
    }

    private void ensureLoggedIn() {
        if (!camelContext.getStatus().isStarted()) {
            // The delivery loop is a Spring lifecycle and starts before Camel, which Spring Boot starts on the
            // context-refreshed event; a login while the component's HTTP client is still starting was seen to hang the
            // delivery thread for good (fault drill, #7). Not yet started is an outage: back off and try again.
            throw new CrmUnavailable("Salesforce component not started yet", 0, List.of(), null);
        }
        SalesforceSession session = component().getSession();
        if (session == null || session.getAccessToken() != null) {
            return;
        }
        try {
            // synchronized in the session and a no-op when another thread logged in meanwhile
            session.login(null);
        } catch (SalesforceException e) {
            String loginUrl = component().getLoginUrl();
            List<String> codes = codes(e);
            String reason = loginReason(e);
            String message = LOGIN_FAILED + " at " + loginUrl + ": " + reason;
            report(message);
            throw new CrmUnavailable(message, e.getStatusCode(), codes, e);
        } catch (RuntimeException e) {
            // e.g. JWT keystore problems surface as IllegalStateException
            String message = LOGIN_FAILED + " at " + component().getLoginUrl() + ": " + oneLine(e);
            report(message);
            throw new CrmUnavailable(message, 0, List.of(), e);
        }
    }

    private List<CrmResult> wholeCallFailed(Exception failure, int size) {
        SalesforceException salesforce = salesforceException(failure);
        int status = salesforce == null ? 0 : salesforce.getStatusCode();
        List<String> codes = salesforce == null ? List.of() : codes(salesforce);
        String detail = salesforce == null ? oneLine(failure) : describe(salesforce, codes);
        if (status == 400 || status == 404) {
            // the request itself is malformed (unknown object or field, bad JSON): sending it again cannot help
            String code = codes.isEmpty() ? "HTTP_" + status : codes.get(0);
            List<CrmResult> refused = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                refused.add(new CrmResult.Refused(code, detail, false));
            }
            lastError = null;
            return refused;
        }
        String message = "Salesforce unavailable (" + (status == 0 ? "no answer" : "HTTP " + status) + "): " + detail;
        if (codes.contains("invalid_grant") || isLoginFailure(salesforce)) {
            message = LOGIN_FAILED + " at " + component().getLoginUrl() + ": " + loginReason(salesforce);
        }
        report(message);
        throw new CrmUnavailable(message, status, codes, failure);
    }

    private List<CrmResult> readResults(String body, int size) {
        JsonNode results;
        try {
            results = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new CrmUnavailable("Salesforce answered an unreadable collections result: " + oneLine(e), 200,
                    List.of(), e);
        }
        return readResults(results, size);
    }

    private List<CrmResult> readResults(JsonNode results, int size) {
        if (results == null || !results.isArray() || results.size() != size) {
            // without one result per record the hub cannot tell what was written: treat the call as not done
            throw new CrmUnavailable("Salesforce answered " + (results == null ? 0 : results.size())
                    + " results for " + size + " records", 200, List.of(), null);
        }
        List<CrmResult> answer = new ArrayList<>(size);
        for (JsonNode result : results) {
            if (result.path("success").asBoolean(false)) {
                answer.add(new CrmResult.Written(result.path("id").asText(), result.path("created").asBoolean(false)));
            } else {
                answer.add(refused(result.path("errors")));
            }
        }
        return answer;
    }

    private static CrmResult.Refused refused(JsonNode errors) {
        if (!errors.isArray() || errors.isEmpty()) {
            return new CrmResult.Refused("UNKNOWN_ERROR", "Salesforce refused the record without an error", false);
        }
        String code = errors.get(0).path("statusCode").asText("UNKNOWN_ERROR");
        List<String> messages = new ArrayList<>();
        for (JsonNode error : errors) {
            String message = error.path("message").asText("");
            JsonNode fields = error.path("fields");
            if (fields.isArray() && !fields.isEmpty()) {
                message = message + " " + fields;
            }
            messages.add(message.trim());
        }
        boolean transientError = false;
        for (JsonNode error : errors) {
            transientError |= LOCK_ROW.equals(error.path("statusCode").asText());
        }
        return new CrmResult.Refused(code, String.join("; ", messages), transientError);
    }

    private Map<String, Object> collectionsBody(List<CrmRecord> records) {
        List<Map<String, Object>> sObjects = new ArrayList<>(records.size());
        for (CrmRecord record : records) {
            Map<String, Object> sObject = new LinkedHashMap<>();
            sObject.put("attributes", Map.of("type", record.object()));
            sObject.putAll(record.fields());
            sObject.put(record.externalIdField(), record.externalId());
            sObjects.add(sObject);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("allOrNone", false);
        body.put("records", sObjects);
        return body;
    }

    private String json(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("records cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void readApiUsage(Exchange exchange) {
        // camel-salesforce copies every response header starting with "Sforce" onto the message
        String limitInfo = exchange.getMessage().getHeader("Sforce-Limit-Info", String.class);
        if (limitInfo == null) {
            return;
        }
        Matcher matcher = API_USAGE.matcher(limitInfo);
        if (matcher.find()) {
            double allocation = Double.parseDouble(matcher.group(2));
            if (allocation > 0) {
                apiUsage = Double.parseDouble(matcher.group(1)) / allocation;
            }
        }
    }

    private List<String> codes(SalesforceException e) {
        List<String> codes = new ArrayList<>();
        if (e.getErrors() != null) {
            for (RestError error : e.getErrors()) {
                if (error.getErrorCode() != null) {
                    codes.add(error.getErrorCode());
                }
            }
        }
        if (codes.isEmpty() && e.getMessage() != null) {
            // the raw operation does not parse error bodies: its exception message is the body itself
            JsonNode body = parseQuietly(e.getMessage());
            if (body != null && body.isArray()) {
                for (JsonNode error : body) {
                    if (error.hasNonNull("errorCode")) {
                        codes.add(error.get("errorCode").asText());
                    }
                }
            } else if (body != null && body.hasNonNull("errorCode")) {
                codes.add(body.get("errorCode").asText());
            }
        }
        Throwable cause = e.getCause();
        if (codes.isEmpty() && cause instanceof SalesforceException && cause != e) {
            codes.addAll(codes((SalesforceException) cause));
        }
        return codes;
    }

    private String describe(SalesforceException e, List<String> codes) {
        JsonNode body = parseQuietly(e.getMessage());
        List<String> parts = new ArrayList<>();
        if (body != null && body.isArray()) {
            for (JsonNode error : body) {
                parts.add(error.path("errorCode").asText("") + " " + error.path("message").asText(""));
            }
        } else if (e.getErrors() != null && !e.getErrors().isEmpty()) {
            for (RestError error : e.getErrors()) {
                parts.add(error.getErrorCode() + " " + error.getMessage());
            }
        }
        if (parts.isEmpty()) {
            return codes.isEmpty() ? oneLine(e) : String.join(", ", codes);
        }
        return String.join("; ", parts).trim();
    }

    private static boolean isLoginFailure(SalesforceException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("Login error")) {
                return true;
            }
        }
        return false;
    }

    private String loginReason(SalesforceException e) {
        if (e == null) {
            return "no answer";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException && ((SalesforceException) t).getErrors() != null
                    && !((SalesforceException) t).getErrors().isEmpty()) {
                RestError error = ((SalesforceException) t).getErrors().get(0);
                Matcher description = LOGIN_DESCRIPTION.matcher(String.valueOf(error.getMessage()));
                return error.getErrorCode() + " " + (description.find() ? description.group(1) : error.getMessage());
            }
        }
        return oneLine(e);
    }

    private static SalesforceException salesforceException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException) {
                return (SalesforceException) t;
            }
        }
        return null;
    }

    private JsonNode parseQuietly(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (!trimmed.startsWith("[") && !trimmed.startsWith("{")) {
            return null;
        }
        try {
            return json.readTree(trimmed);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private String apiVersion() {
        SalesforceEndpointConfig config = component().getConfig();
        String version = config == null ? null : config.getApiVersion();
        return version == null || version.isBlank() ? SalesforceEndpointConfig.DEFAULT_VERSION : version;
    }

    private SalesforceComponent component() {
        return camelContext.getComponent(componentName, SalesforceComponent.class);
    }
}
