package org.touchpointhub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V70 gives every touchpoint of a store that existed before it the match record the live path writes now, built
 * from its observations, so an upgraded store's candidates are read the same way as a new one's; a stored record
 * reads back as the person the live path normalized.
 */
class TouchpointMatchMigrationTests {

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    @Test // #7
    void theMigrationBuildsExistingTouchpointsMatchRecordsFromTheirObservations() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Flyway before = Flyway.configure().dataSource(pg.getPostgresDatabase()).target("50").load();
            before.migrate();
            JdbcTemplate jdbc = new JdbcTemplate(pg.getPostgresDatabase());
            long customer = jdbc.queryForObject("insert into customers default values returning id", Long.class);
            long form = touchpoint(jdbc, customer, "typeform:1");
            long pageView = touchpoint(jdbc, customer, "tracking:2");
            long other = touchpoint(jdbc, customer, "typeform:3");
            observe(jdbc, customer, form, "typeform", "first_name", "Ada");
            observe(jdbc, customer, form, "typeform", "email", "ada@example.com");
            observe(jdbc, customer, form, "typeform", "company_domain", "example.com"); // not a match attribute
            observe(jdbc, customer, form, "typeform", "city", "O'Hare; drop table x; <b>");
            observe(jdbc, customer, pageView, "tracking", "utm_source", "newsletter"); // no match attribute at all
            observe(jdbc, customer, other, "webform", "phone", "+14155550100");

            Flyway.configure().dataSource(pg.getPostgresDatabase()).load().migrate();

            assertThat(match(jdbc, form)).containsExactlyInAnyOrderEntriesOf(Map.of("first_name", "Ada",
                    "email", "ada@example.com", "city", "O'Hare; drop table x; <b>", "source", "typeform"));
            assertThat(jdbc.queryForObject("select match::text from touchpoints where id = ?", String.class, pageView)).isNull();
            assertThat(match(jdbc, other)).containsExactlyInAnyOrderEntriesOf(Map.of("phone", "+14155550100", "source", "webform"));
            // the same text the live path writes for the same facts, so the resolver's record cache sees one record
            assertThat(jdbc.queryForObject("select match = ?::jsonb from touchpoints where id = ?", Boolean.class,
                    PersonAttributes.matchRecord(Map.of("phone", "+14155550100", "utm_source", "x"), "webform"), other)).isTrue();
        }
    }

    @Test // #7
    void aStoredMatchRecordReadsBackAsTheSamePersonTheLivePathNormalized() {
        Map<String, String> attributes = Map.of("first_name", "José", "last_name", "O'Brien", "email", "Jose.OBrien@Example.com",
                "mobile_phone", "+1 (415) 555-0100", "company", "Initech Inc.", "utm_source", "newsletter", "city", "<b>Zürich</b>");
        String stored = PersonAttributes.matchRecord(attributes, "typeform");
        assertThat(stored).doesNotContain("utm_source");
        assertThat(PersonAttributes.fromMatchRecord("42", stored, "US"))
                .isEqualTo(PersonAttributes.fromAttributes("42", attributes, "typeform", "US"));
        // nothing to match on: no record, so the touchpoint is not one of its customer's latest records
        assertThat(PersonAttributes.matchRecord(Map.of("utm_source", "newsletter"), "tracking")).isNull();
        assertThatThrownBy(() -> PersonAttributes.fromMatchRecord("43", "[1, 2]", "US"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("match record of 43");
    }

    private static long touchpoint(JdbcTemplate jdbc, long customer, String key) {
        return jdbc.queryForObject("insert into touchpoints (customer_id, touchpoint_key, connector, event_id, type, occurred_at) "
                + "values (?, ?, split_part(?, ':', 1), ?, 'form_submitted', now()) returning id", Long.class, customer, key, key, key);
    }

    private static void observe(JdbcTemplate jdbc, long customer, long touchpoint, String source, String attribute, String value) {
        jdbc.update("insert into observations (customer_id, touchpoint_id, attribute, value, source, priority, observed_at) "
                + "values (?, ?, ?, ?, ?, 50, now())", customer, touchpoint, attribute, value, source);
    }

    private static Map<String, String> match(JdbcTemplate jdbc, long touchpoint) throws Exception {
        return new ObjectMapper().readValue(jdbc.queryForObject("select match::text from touchpoints where id = ?",
                String.class, touchpoint), MAP);
    }
}
