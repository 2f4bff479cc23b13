package org.touchpointhub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.touchpointhub.canonical.InboundEnvelope;

class EventMapperTests {

    private final EventMapper mapper = new EventMapper("GB");

    private ConnectorDefinition connector(String yaml) {
        List<String> problems = new ArrayList<>();
        ConnectorDefinition def = ConnectorFiles.parse("connectors/t.yaml", yaml, Map.of("S", "s")::get, 1024, problems);
        assertThat(problems).isEmpty();
        return def;
    }

    private static InboundEnvelope json(String body) {
        return new InboundEnvelope("t", "e-1", null, null, Instant.parse("2024-01-01T00:00:00Z"), "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test // #3
    void mapsFieldsThroughTransformsAndAlternatives() {
        var def = connector("""
                id: t
                verify: {scheme: token, secret: "${S}"}
                event: {id: $.id, type: $.kind}
                types: {signup: form_submitted}
                touchpoint: {channel: web, occurredAt: $.ts | epoch-seconds, summary: $.title || 'Untitled'}
                person:
                  email: $.contact.mail | trim | lowercase
                  full_name: $.answers[?(@.type=='name')].text | first
                  phone: $.tel | e164
                attributes:
                  amount: $.cents | cents
                """);

        var result = mapper.map(def, json("""
                {"id":"1","kind":"signup","ts":1700000000,"contact":{"mail":"  Ann@Example.COM "},
                 "answers":[{"type":"other","text":"x"},{"type":"name","text":"Ann Lee"}],"tel":"020 7946 0018","cents":1999}
                """));

        assertThat(result).isInstanceOf(MappingResult.Mapped.class);
        var tp = ((MappingResult.Mapped) result).touchpoints().get(0);
        assertThat(tp.type()).isEqualTo("form_submitted");
        assertThat(tp.occurredAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(tp.summary()).isEqualTo("Untitled");
        assertThat(tp.person().get("email")).isEqualTo("ann@example.com");
        assertThat(tp.person().get("full_name")).isEqualTo("Ann Lee");
        assertThat(tp.person().get("phone")).isEqualTo("+442079460018");
        assertThat(tp.attributes()).containsEntry("amount", "19.99");
    }

    @Test // #3
    void unmappedEventTypeIsSkippedNotDeadLettered() {
        var def = connector("""
                id: t
                verify: {scheme: token, secret: "${S}"}
                event: {type: $.kind}
                types: {signup: form_submitted}
                person: {email: $.email}
                """);

        var result = mapper.map(def, json("{\"kind\":\"ping\",\"email\":\"a@b.co\"}"));

        assertThat(result).isInstanceOf(MappingResult.Skipped.class);
        assertThat(((MappingResult.Skipped) result).reason()).contains("'ping'");
    }

    @Test // #3
    void unreadableDateIsRejectedWithAReasonAndFilledHoneypotIsSpam() {
        var def = connector("""
                id: t
                verify: {scheme: token, secret: "${S}"}
                touchpoint: {type: form_submitted, occurredAt: $.at | iso-date}
                spam: $.website
                person: {email: $.email}
                """);

        var rejected = mapper.map(def, json("{\"at\":\"yesterday\",\"email\":\"a@b.co\"}"));
        var spam = mapper.map(def, json("{\"at\":\"2024-01-01\",\"website\":\"http://spam\",\"email\":\"a@b.co\"}"));
        var notJson = mapper.map(def, json("{oops"));

        assertThat(rejected).isInstanceOf(MappingResult.Rejected.class);
        assertThat(((MappingResult.Rejected) rejected).reason()).contains("not an ISO-8601");
        assertThat(spam).isInstanceOf(MappingResult.Spam.class);
        assertThat(notJson).isInstanceOf(MappingResult.Rejected.class);
    }

    @Test // #3
    void eachItemOfAnArrayIsATouchpointWithItsOwnKey() {
        var def = connector("""
                id: t
                verify: {scheme: token, secret: "${S}"}
                event: {each: "$[*]", itemId: $.sg_id}
                touchpoint: {type: "$.event | map(open=email_opened, click=email_clicked)", channel: email}
                person: {email: $.email}
                """);

        var result = mapper.map(def, json("[{\"sg_id\":\"a\",\"event\":\"open\",\"email\":\"x@y.co\"},"
                + "{\"sg_id\":\"b\",\"event\":\"click\",\"email\":\"x@y.co\"},{\"sg_id\":\"c\",\"event\":\"weird\",\"email\":\"x@y.co\"}]"));

        assertThat(result).isInstanceOf(MappingResult.Mapped.class);
        var tps = ((MappingResult.Mapped) result).touchpoints();
        assertThat(tps).extracting(t -> t.key()).containsExactly("e-1#a", "e-1#b");
        assertThat(tps).extracting(t -> t.type()).containsExactly("email_opened", "email_clicked");
    }

    @Test // #3
    void formBodiesMapByFieldName() {
        var def = connector("""
                id: t
                verify: {scheme: token, secret: "${S}"}
                touchpoint: {type: form_submitted}
                person: {email: "$['data[email]']", full_name: $.name}
                """);
        var envelope = new InboundEnvelope("t", "e-2", null, null, Instant.EPOCH, "application/x-www-form-urlencoded",
                "data%5Bemail%5D=a%40b.co&name=Ann+Lee".getBytes(StandardCharsets.UTF_8));

        var result = mapper.map(def, envelope);

        var tp = ((MappingResult.Mapped) result).touchpoints().get(0);
        assertThat(tp.person().get("email")).isEqualTo("a@b.co");
        assertThat(tp.person().get("full_name")).isEqualTo("Ann Lee");
    }
}
