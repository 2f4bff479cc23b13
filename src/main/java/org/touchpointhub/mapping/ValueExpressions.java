package org.touchpointhub.mapping;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.EnumSet;

/** Evaluates {@link ValueExpression}s with one JSON configuration and default phone region. */
public final class ValueExpressions {

    private final MappingContext context;

    /** An evaluator reading documents with {@code json} and phone numbers in {@code defaultRegion}. */
    public ValueExpressions(String defaultRegion, Configuration json) {
        // CompiledPath's fast lanes give jayway's answers for exactly this configuration: Jackson's maps (and its
        // mapping provider, which jayway's filters use), only SUPPRESS_EXCEPTIONS (absent paths read as null) and no
        // evaluation listener; any other configuration reads every path through jayway.
        boolean fastLane = json.jsonProvider() instanceof JacksonJsonProvider
                && json.mappingProvider() instanceof JacksonMappingProvider
                && json.getEvaluationListeners().isEmpty()
                && json.getOptions().equals(EnumSet.of(Option.SUPPRESS_EXCEPTIONS));
        this.context = new MappingContext() {
            @Override
            public String defaultRegion() {
                return defaultRegion;
            }

            @Override
            public Object parseJson(String text) {
                try {
                    return json.jsonProvider().parse(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("json: value is not valid JSON");
                }
            }

            @Override
            public Object read(Object document, CompiledPath path) {
                if (document == null) {
                    return null;
                }
                return fastLane ? path.read(document, json) : path.jsonPath().read(document, json);
            }
        };
    }

    /** The value of an expression for an item of a document (the item is the document outside {@code each}). */
    public Object evaluate(ValueExpression expression, Object item, Object root) {
        return expression.evaluate(item, root, context);
    }

    /** A value as text: lists give their first element, numbers their plain form. */
    public static String text(Object value) {
        return Transforms.text(value);
    }
}
