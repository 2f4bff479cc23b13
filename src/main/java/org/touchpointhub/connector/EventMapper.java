package org.touchpointhub.connector;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.canonical.TouchpointTypes;
import org.touchpointhub.mapping.FormBody;
import org.touchpointhub.mapping.ValueExpression;
import org.touchpointhub.mapping.ValueExpressions;

/**
 * Maps one inbound event through its connector's declarative mapping into canonical touchpoints. Pure: no
 * database, no clock but the envelope's receive time.
 */
public final class EventMapper {

    private static final Configuration JSON = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    private final ValueExpressions expressions;

    /** A mapper reading phone numbers without a country code in {@code defaultRegion} (ISO 3166, e.g. US). */
    public EventMapper(String defaultRegion) {
        this.expressions = new ValueExpressions(defaultRegion, JSON);
    }

    /** Parses a body into the document the expressions read: JSON as is, form fields as a flat object. */
    public static Object document(InboundEnvelope envelope) {
        if (envelope.isForm()) {
            return formFields(new String(envelope.body(), StandardCharsets.UTF_8));
        }
        return JSON.jsonProvider().parse(new String(envelope.body(), StandardCharsets.UTF_8));
    }

    /** Decodes a form body into the document its expressions read. */
    public static Map<String, Object> formFields(String body) {
        return FormBody.document(FormBody.decode(body));
    }

    /** The text of an expression on a whole parsed document, or null when it yields nothing. */
    public String text(ValueExpression expression, Object document) {
        Object v = expressions.evaluate(expression, document, document);
        return v == null ? null : ValueExpressions.text(v);
    }

    /** Reads the event type from the body, or null. */
    public String eventType(ConnectorDefinition def, Object document) {
        if (def.event().type() == null) {
            return null;
        }
        Object v = expressions.evaluate(def.event().type(), document, document);
        return v == null ? null : ValueExpressions.text(v);
    }

    /** Maps one event. */
    public MappingResult map(ConnectorDefinition def, InboundEnvelope envelope) {
        Object document;
        try {
            document = document(envelope);
        } catch (RuntimeException e) {
            return new MappingResult.Rejected("body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (document == null) {
            return new MappingResult.Rejected("body is empty");
        }
        try {
            if (def.spam() != null && expressions.evaluate(def.spam(), document, document) != null) {
                return new MappingResult.Spam("honeypot field is filled");
            }
            String eventType = envelope.eventType() != null ? envelope.eventType() : eventType(def, document);
            String mappedType = null;
            if (!def.types().isEmpty()) {
                mappedType = eventType == null ? null : def.types().get(eventType);
                if (mappedType == null) {
                    return new MappingResult.Skipped("event type '" + abbreviate(String.valueOf(eventType))
                            + "' is not mapped by connector " + def.id());
                }
            }
            List<Object> items = new ArrayList<>();
            if (def.event().each() != null) {
                Object list = expressions.evaluate(def.event().each(), document, document);
                if (list instanceof Collection<?> c) {
                    items.addAll(c);
                } else if (list != null) {
                    items.add(list);
                }
                if (items.isEmpty()) {
                    return new MappingResult.Skipped("no items at " + def.event().each());
                }
            } else {
                items.add(document);
            }
            List<CanonicalTouchpoint> touchpoints = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                String key = envelope.eventId();
                if (def.event().each() != null) {
                    Object itemId = def.event().itemId() == null ? null : expressions.evaluate(def.event().itemId(), item, document);
                    key = key + "#" + (itemId == null ? String.valueOf(i) : ValueExpressions.text(itemId));
                }
                String type = mappedType;
                if (type == null && def.touchpoint().type() != null) {
                    Object t = expressions.evaluate(def.touchpoint().type(), item, document);
                    type = t == null ? null : ValueExpressions.text(t);
                }
                if (type == null || !TouchpointTypes.ALL.contains(type)) {
                    skipped.add("item " + i + ": no touchpoint type" + (type == null ? "" : " ('" + abbreviate(type) + "' is not canonical)"));
                    continue;
                }
                touchpoints.add(new CanonicalTouchpoint(def.id(), key, type,
                        text(def.touchpoint().channel(), item, document),
                        occurredAt(def, item, document, envelope.receivedAt()),
                        text(def.touchpoint().summary(), item, document),
                        new PersonFacts(values(def.person(), item, document), values(def.externalIds(), item, document)),
                        values(def.attributes(), item, document)));
            }
            if (touchpoints.isEmpty()) {
                return new MappingResult.Skipped(String.join("; ", skipped));
            }
            return new MappingResult.Mapped(touchpoints);
        } catch (IllegalArgumentException e) {
            return new MappingResult.Rejected(e.getMessage());
        }
    }

    private Map<String, String> values(Map<String, ValueExpression> exprs, Object item, Object root) {
        Map<String, String> out = new LinkedHashMap<>();
        exprs.forEach((name, expr) -> {
            String v = text(expr, item, root);
            if (!v.isBlank()) {
                out.put(name, v);
            }
        });
        return out;
    }

    private String text(ValueExpression expr, Object item, Object root) {
        if (expr == null) {
            return "";
        }
        Object v = expressions.evaluate(expr, item, root);
        return v == null ? "" : ValueExpressions.text(v);
    }

    private Instant occurredAt(ConnectorDefinition def, Object item, Object root, Instant received) {
        if (def.touchpoint().occurredAt() == null) {
            return received;
        }
        Object v = expressions.evaluate(def.touchpoint().occurredAt(), item, root);
        if (v == null) {
            return received;
        }
        if (v instanceof Number n) {
            // bare numbers: seconds since the epoch, or milliseconds when too large to be seconds
            long x = new BigDecimal(n.toString()).longValue();
            return x > 100_000_000_000L ? Instant.ofEpochMilli(x) : Instant.ofEpochSecond(x);
        }
        try {
            return Instant.parse(ValueExpressions.text(v));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("touchpoint.occurredAt: '" + abbreviate(ValueExpressions.text(v))
                    + "' is not an instant; add a transform such as iso-date or epoch-seconds");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }
}
