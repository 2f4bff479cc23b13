package org.touchpointhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import org.junit.jupiter.api.Test;
import org.touchpointhub.mapping.ValueExpression;
import org.touchpointhub.mapping.ValueExpressions;

/** The two transforms the vendor connectors of #5 added: {@code field('suffix')} and {@code rfc-date}. */
class MappingTransformsTests {

    private static final Configuration JSON = Configuration.builder().jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider()).options(Option.SUPPRESS_EXCEPTIONS).build();
    private final ValueExpressions expressions = new ValueExpressions("US", JSON);

    private String eval(String expression, String json) {
        Object doc = JSON.jsonProvider().parse(json);
        Object v = expressions.evaluate(ValueExpression.parse(expression), doc, doc);
        return v == null ? null : ValueExpressions.text(v);
    }

    @Test // #5
    void fieldFindsAJotformAnswerByTheEndOfItsNumberedName() {
        // given Jotform's rawRequest: a JSON text whose keys carry the question number
        String body = "{\"rawRequest\":\"{\\\"q3_name\\\":{\\\"first\\\":\\\"Ann\\\"},\\\"q7_venueName\\\":\\\"x\\\","
                + "\\\"q4_email\\\":\\\"\\\",\\\"q9_workEmail\\\":\\\"ann@example.com\\\"}\"}";

        // when fields are looked up by suffix, ignoring case and skipping blank answers
        // then the first non-blank match wins, and a suffix nobody has gives nothing
        assertThat(eval("$.rawRequest | json | field('email')", body)).isEqualTo("ann@example.com");
        assertThat(eval("$.rawRequest | json | field('_NAME') | json('$.first')", body)).isEqualTo("Ann");
        assertThat(eval("$.rawRequest | json | field('_phone')", body)).isNull();
        assertThat(eval("$.rawRequest | field('_email')", body)).as("not an object").isNull();
    }

    @Test // #5
    void fieldNeedsItsArgumentWhenTheFileIsLoaded() {
        // given an expression that forgets the suffix
        // when it is parsed, then it fails naming the transform
        assertThatThrownBy(() -> ValueExpression.parse("$.x | field")).hasMessageContaining("field");
    }

    @Test // #5
    void rfcDateReadsTwiliosTimestamp() {
        // given Twilio's call status Timestamp, an RFC 1123 date
        String body = "{\"Timestamp\":\"Sun, 25 Mar 2018 09:53:19 +0000\",\"bad\":\"yesterday\"}";

        // when it is read with rfc-date, then it is an ISO instant; a value that is no date names itself
        assertThat(eval("$.Timestamp | rfc-date", body)).isEqualTo("2018-03-25T09:53:19Z");
        assertThatThrownBy(() -> eval("$.bad | rfc-date", body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
    }
}
