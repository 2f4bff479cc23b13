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
 * ({@code PATCH /services/data/v{ver}/composite/sobjects/{Object}/{ExtIdField}}, one API call per batch of up to 200)
 * through camel-salesforce's {@code raw} operation, and reads every per-record result.
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

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceAdapter.class);
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");
    private static final Pattern LOGIN_DESCRIPTION = Pattern.compile("description:\\[(.*)]");
    private static final String LOCK_ROW = "UNABLE_TO_LOCK_ROW";
    private static final String LOGIN_FAILED = "Salesforce login failed";

    private final CamelContext camelContext;
    private final ProducerTemplate template;
    private final String componentName;
    private final ObjectMapper json = new ObjectMapper();

    private volatile double apiUsage = -1;
    private volatile String lastError;

    /** Creates an adapter over the {@code salesforce} component of the given context. */
    public SalesforceAdapter(CamelContext camelContext, ProducerTemplate template) {
        this(camelContext, template, "salesforce");
    }

    /** Creates an adapter over the named camel-salesforce component of the given context. */
    public SalesforceAdapter(CamelContext camelContext, ProducerTemplate template, String componentName) {
        this.camelContext = Objects.requireNonNull(camelContext, "camelContext");
        this.template = Objects.requireNonNull(template, "template");
        this.componentName = Objects.requireNonNull(componentName, "componentName");
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_SIZE;
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
        ensureLoggedIn();

        String body = requestBody(records);
        String path = "/services/data/v" + apiVersion() + "/composite/sobjects/" + object + "/" + externalIdField;
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

    private String requestBody(List<CrmRecord> records) {
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
